import { ConfigError } from '../../activities/config/errors';
import { createHexWorker, DEFAULT_TASK_QUEUE } from '../../worker/createWorker';
import { progressQuery, type IngestionSummary } from '../../workflows/messages';
import { isSetupFailure, prepareSource, rootMessage, startIngestion } from '../ingest';
import { EXIT_INTERRUPTED, EXIT_ITEM_FAILURES, EXIT_SETUP_FAILED, exitCodeOf, formatSummary, progressLine } from '../summary';
import { connectTemporal } from '../temporal';

export interface IngestCommandOptions {
  config: string;
  taskQueue?: string;
  json?: boolean;
  ui?: boolean;
}

function reportInterrupted(workflowId: string): number {
  // The workflow lives on in Temporal (and in .hexmeta/ when embedded): the same command resumes it.
  console.error(`Interrupted. Workflow ${workflowId} keeps its progress; run the same command again to resume.`);
  return EXIT_INTERRUPTED;
}

/** `hexmeta ingest -c hex.yaml`: runs one ingestion to the end and returns the exit code. */
export async function ingestCommand(options: IngestCommandOptions): Promise<number> {
  const remote = Boolean(process.env.TEMPORAL_ADDRESS);
  try {
    prepareSource({ source: { configPath: options.config }, checkSecrets: !remote });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT_SETUP_FAILED;
    }
    throw error;
  }

  let target;
  try {
    target = await connectTemporal({ ui: options.ui });
  } catch (error) {
    console.error(`Cannot reach Temporal: ${(error as Error).message}`);
    return EXIT_SETUP_FAILED;
  }
  const taskQueue = options.taskQueue ?? process.env.HEXMETA_TASK_QUEUE ?? DEFAULT_TASK_QUEUE;
  let timer: NodeJS.Timeout | undefined;
  let interrupted = false;
  // Awaited before the connection closes: a query still in flight on a closed channel would throw.
  let pendingQuery: Promise<unknown> = Promise.resolve();
  const queries = new AbortController();
  const onSignal = () => { interrupted = true; };
  try {
    const worker = target.embedded
      ? await createHexWorker({ connection: target.embedded.nativeConnection, namespace: target.namespace, taskQueue })
      : null;
    const handle = await startIngestion(target.client, { source: { configPath: options.config }, taskQueue, checkSecrets: !remote });
    console.error(`Ingestion workflow ${handle.workflowId} (task queue ${taskQueue}${target.embedded ? `, embedded Temporal at ${target.embedded.address}` : ''})`);
    const tty = process.stderr.isTTY;
    timer = setInterval(() => {
      pendingQuery = target.client.withAbortSignal(queries.signal, () => handle.query(progressQuery)).then(
        (s) => process.stderr.write(tty ? `\r${progressLine(s)}\x1b[K` : `${progressLine(s)}\n`),
        () => undefined,
      );
    }, tty ? 500 : 5_000);
    // Under the same abort signal: a long poll still retrying on a closed channel would throw.
    const result = target.client.withAbortSignal(queries.signal, () => handle.result());
    result.catch(() => undefined);
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    let summary: IngestionSummary;
    try {
      summary = worker ? await worker.runUntil(result) : await result;
    } catch (error) {
      if (tty) process.stderr.write('\n');
      if (interrupted) return reportInterrupted(handle.workflowId);
      console.error(`Ingestion failed: ${rootMessage(error)}`);
      return isSetupFailure(error) ? EXIT_SETUP_FAILED : EXIT_ITEM_FAILURES;
    }
    if (tty) process.stderr.write('\n');
    // A worker stopped by a signal may end its run without the workflow's result.
    if (interrupted && !summary) return reportInterrupted(handle.workflowId);
    console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    return exitCodeOf(summary);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    if (timer) clearInterval(timer);
    queries.abort();
    await pendingQuery;
    await target.close();
  }
}
