import { getHeapStatistics } from 'node:v8';
import { NativeConnection } from '@temporalio/worker';
import { createHexWorker, DEFAULT_TASK_QUEUE } from './createWorker';
import { advisedNodeOptions, missingWorkerFlags } from './nodeFlags';
import { setUpTelemetry, telemetrySettings, type TelemetryFlags } from './telemetry';

export interface RunWorkerOptions extends TelemetryFlags {
  taskQueue?: string;
}

/**
 * Long-lived worker against TEMPORAL_ADDRESS. The SDK drains in-flight tasks and exits on SIGINT/SIGTERM.
 * Logging and metrics are set up before the first connection: the Temporal Runtime is fixed from then on.
 */
export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const settings = telemetrySettings(options, process.env);
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: the worker needs a Temporal server to poll');
  const log = setUpTelemetry(settings, { runsWorker: true });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createHexWorker({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: options.taskQueue ?? process.env.HEXMETA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    });
    log.info(`hexmeta worker polling task queue ${worker.options.taskQueue} on ${address}`);
    log.info(workerMemoryLine());
    await worker.run();
  } finally {
    await connection.close();
  }
}

/** How the worker's memory is set up, and the advised flags it lacks. */
function workerMemoryLine(): string {
  const heapCapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  const sourceMaps = process.sourceMapsEnabled ? 'source maps on' : 'source maps off (--enable-source-maps keeps them)';
  const missing = missingWorkerFlags(process.execArgv, process.env.NODE_OPTIONS);
  const advice = missing.length
    ? `; without ${missing.map((flag) => `--${flag}`).join(' and ')} V8 grows its heap well past what the worker needs: NODE_OPTIONS="${advisedNodeOptions()}" keeps it near 300 MiB`
    : '';
  return `worker memory: V8 heap limit ${heapCapMiB} MiB, ${sourceMaps}${advice}`;
}

if (require.main === module) {
  runWorker().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
