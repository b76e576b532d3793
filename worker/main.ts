import { NativeConnection } from '@temporalio/worker';
import { createHexWorker, DEFAULT_TASK_QUEUE } from './createWorker';
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
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
