import { getHeapStatistics } from 'node:v8';
import { connectNative, describeConnection, resolveConnectionSettings, type ConnectionFlags } from '../client/connection';
import { connectWith } from '../client/core';
import { createHexWorker } from './createWorker';
import { withReaping } from './reapDeadWorkers';
import { advisedNodeOptions, missingWorkerFlags } from './nodeFlags';
import { setUpTelemetry, telemetrySettings, type TelemetryFlags } from './telemetry';

export type RunWorkerOptions = TelemetryFlags & ConnectionFlags;

/**
 * Long-lived worker against the Temporal server of the connection settings. The SDK drains in-flight tasks and exits on SIGINT/SIGTERM.
 * Logging and metrics are set up before the first connection: the Temporal Runtime is fixed from then on.
 */
export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const settings = telemetrySettings(options, process.env);
  const temporal = resolveConnectionSettings(options);
  const log = setUpTelemetry(settings, { runsWorker: true });
  const connection = await connectNative(temporal);
  // A client too, from the same settings: it finds the activities that workers of this host left behind when they died.
  const temporalClient = await connectWith(temporal).catch(async (error) => { await connection.close(); throw error; });
  try {
    const worker = await createHexWorker({ connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue });
    log.info(`hexmeta worker polling task queue ${worker.options.taskQueue} on ${describeConnection(temporal)}`);
    log.info(workerMemoryLine());
    await withReaping({ client: temporalClient.client, taskQueue: temporal.taskQueue, log }, () => worker.run());
  } finally {
    await temporalClient.close();
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
