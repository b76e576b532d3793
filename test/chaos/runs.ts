// Driving the two runs the chaos suite compares: a clean one through the CLI, and one under chaos.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { startIngestion, workflowIdFor } from '../../client/core';
import type { IngestionSummary } from '../../workflows/messages';
import { runCli, startWorkerProcess } from '../support/cli';
import { startDevServer, temporalClient, type DevServer } from '../support/temporal';
import { planChaos, runChaos, type ChaosRecord } from './chaosSchedule';
import { WorkerPool } from './workerPool';

/** `hexmeta ingest` against a Temporal server with one `hexmeta worker`, nothing killed. */
export async function cleanRun(configPath: string, env: NodeJS.ProcessEnv, taskQueue: string) {
  const worker = await startWorkerProcess(env, taskQueue);
  try {
    const result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
    if (result.code !== 0) throw new Error(`clean run exited with ${result.code}: ${result.stderr.slice(-2000)}`);
    return { summary: JSON.parse(result.stdout) as IngestionSummary, output: result };
  } finally {
    worker.kill('SIGTERM');
    await worker.output;
  }
}

const PENDING_ACTIVITY_STATE_STARTED = 2;

/** Pid of the worker running one of the workflow's activities (worker identities are `pid@host`). */
async function activityWorkerPid(client: Client, workflowId: string): Promise<number | null> {
  const description = await client.workflow.getHandle(workflowId).describe();
  const running = (description.raw.pendingActivities ?? []).find((a) => a.state === PENDING_ACTIVITY_STATE_STARTED && a.lastWorkerIdentity);
  const pid = running ? Number.parseInt(String(running.lastWorkerIdentity).split('@')[0], 10) : NaN;
  return Number.isInteger(pid) ? pid : null;
}

/** The run's result, asked again while the server is away (a restart breaks the long poll, not the run). */
async function resultThroughRestarts(client: Client, workflowId: string, deadline: number): Promise<IngestionSummary> {
  for (;;) {
    try {
      return await client.workflow.getHandle(workflowId).result();
    } catch (error) {
      if (error instanceof WorkflowFailedError || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export interface ChaosRunOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  serviceName: string;
  taskQueue: string;
  kills: number;
  random: () => number;
  /** Fraction of the expected dashboards written so far. */
  progress: () => number;
  /** Slows the run for a moment. */
  holdBack: () => void;
  workers?: number;
  timeoutMs?: number;
}

export interface ChaosRunResult {
  summary: IngestionSummary;
  record: ChaosRecord;
  wallMs: number;
  workersStarted: number;
  unexpectedWorkerExits: number;
  workerOutputs: string[];
  history: string;
}

/**
 * One ingestion on a Temporal server of its own, served by a pool of `hexmeta worker` processes that are
 * SIGKILLed and replaced at random points, then the server itself SIGKILLed and restarted on the same
 * database file and port.
 */
export async function chaosRun(options: ChaosRunOptions): Promise<ChaosRunResult> {
  let server: DevServer = await startDevServer();
  const port = Number(server.address.split(':')[1]);
  const env = { ...options.env, TEMPORAL_ADDRESS: server.address };
  const pool = new WorkerPool(env, options.taskQueue, options.workers ?? 3);
  const { client, close } = await temporalClient(server.address);
  const workflowId = workflowIdFor(options.serviceName);
  try {
    await pool.start();
    const startedAt = Date.now();
    await startIngestion({ client, source: { configPath: options.configPath }, taskQueue: options.taskQueue, env, checkSecrets: true });
    let finished = false;
    const chaos = runChaos(planChaos(options.random, options.kills), pool, {
      progress: options.progress,
      holdBack: options.holdBack,
      finished: () => finished,
      activityWorkerPid: () => activityWorkerPid(client, workflowId),
      killServer: () => server.stop('SIGKILL'),
      restartServer: async () => { server = await startDevServer(server.dbFile, port); },
    }, options.random).then((record) => ({ record }), (error: Error) => ({ error }));
    let summary: IngestionSummary;
    try {
      summary = await resultThroughRestarts(client, workflowId, startedAt + (options.timeoutMs ?? 8 * 60_000));
    } catch (error) {
      finished = true;
      await chaos;
      throw error;
    }
    finished = true;
    const wallMs = Date.now() - startedAt;
    const outcome = await chaos;
    if ('error' in outcome) throw outcome.error;
    const { record } = outcome;
    const history = JSON.stringify(await client.workflow.getHandle(workflowId).fetchHistory());
    await pool.stop();
    const workerOutputs = (await Promise.all(pool.outputs)).map((o) => o.stdout + o.stderr);
    return {
      summary, record, wallMs, history, workerOutputs,
      workersStarted: pool.started, unexpectedWorkerExits: pool.unexpectedExits,
    };
  } finally {
    await pool.stop();
    await close();
    await server.stop();
  }
}
