// The demo's ingestion takes the normal path: a hexmeta worker and `startIngestion` with the workflow file.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startIngestion } from '../client/core';
import { progressLine } from '../client/summary';
import { createHexWorker } from '../worker/createWorker';
import { progressQuery, type IngestionSummary } from '../workflows/messages';

export const DEMO_TASK_QUEUE = 'hexmeta-demo';
export const DEMO_NAMESPACE = 'default';

export interface DemoWorker {
  /** Rejects when the worker stops on its own (it should run until `stop`). */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * A worker in this process whose activities resolve `${...}` from `secretsEnv`: the secret values reach the
 * worker only, never the workflow file, this process's environment or the workflow input.
 */
export async function startDemoWorker(address: string, secretsEnv: Record<string, string>, uiUrl: string | null = null): Promise<DemoWorker> {
  const connection = await NativeConnection.connect({ address });
  const worker = await createHexWorker({
    connection, namespace: DEMO_NAMESPACE, taskQueue: DEMO_TASK_QUEUE, env: { ...process.env, ...secretsEnv }, temporalUiUrl: uiUrl,
  }).catch(async (error) => {
    await connection.close();
    throw error;
  });
  let stopping = false;
  const running = worker.run();
  const crashed = new Promise<never>((_, reject) => {
    running.then(
      () => { if (!stopping) reject(new Error('the demo worker stopped')); },
      (error) => { if (!stopping) reject(error); },
    );
  });
  crashed.catch(() => undefined);
  return {
    crashed,
    async stop() {
      stopping = true;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

export interface DemoRun {
  workflowId: string;
  runId: string;
  summary: IngestionSummary;
}

/**
 * Starts the ingestion of the workflow file and follows it with the progress line `hexmeta ingest` shows.
 * Resolves null when `interrupted` settles first.
 */
export async function runDemoIngestion(options: {
  address: string;
  configPath: string;
  worker: DemoWorker;
  interrupted: Promise<void>;
  onStarted(workflowId: string, runId: string): void;
}): Promise<DemoRun | null> {
  const connection = await Connection.connect({ address: options.address });
  const client = new Client({ connection, namespace: DEMO_NAMESPACE });
  const aborts = new AbortController();
  let pendingQuery: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  try {
    // This process holds no secrets: like a client beside remote workers, it checks everything but their values.
    const { workflow: handle } = await startIngestion({ client, source: { configPath: options.configPath }, taskQueue: DEMO_TASK_QUEUE, checkSecrets: false });
    const { runId } = await handle.describe();
    options.onStarted(handle.workflowId, runId);
    const tty = process.stderr.isTTY;
    timer = setInterval(() => {
      pendingQuery = client.withAbortSignal(aborts.signal, () => handle.query(progressQuery)).then(
        (s) => process.stderr.write(tty ? `\r${progressLine(s)}\x1b[K` : `${progressLine(s)}\n`),
        () => undefined,
      );
    }, tty ? 500 : 2_000);
    const result = client.withAbortSignal(aborts.signal, () => handle.result());
    result.catch(() => undefined);
    const outcome = await Promise.race([result, options.worker.crashed, options.interrupted.then(() => null)]);
    if (tty) process.stderr.write('\n');
    return outcome ? { workflowId: handle.workflowId, runId, summary: outcome } : null;
  } finally {
    if (timer) clearInterval(timer);
    aborts.abort();
    await pendingQuery;
    await connection.close();
  }
}
