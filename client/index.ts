/**
 * hexmeta's programmatic API: start, wait for and watch ingestions, and schedule them, from any Node program
 * holding a Temporal `Client`. Workers (`hexmeta worker`, or `createHexWorker` in-process) run the work.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { ConfigSource } from '../activities/config/types';
import { progressQuery, type IngestionSummary } from '../workflows/messages';
import { listIngestionRuns, type IngestionRun, type ListRunsOptions } from './commands/status';
import { connectClient, resolveConnectionSettings, type ConnectionFlags } from './connection';
import { prepareSource, startIngestion as startIngestionWorkflow, workflowIdFor } from './ingest';

export type { ConfigSource } from '../activities/config/types';
export type { IngestionSummary, Phase } from '../workflows/messages';
export type { ItemReport, LineageResult } from '../activities/types';
export type { ScheduledIngestionResult } from '../workflows/scheduled';
export type { IngestionRun, ListRunsOptions } from './commands/status';
/** What a running ingestion has done so far (the same shape as its final summary). */
export type IngestionProgress = IngestionSummary;

export {
  createSchedule, deleteSchedule, describeSchedule, listSchedules, pauseSchedule, parseInterval, scheduleIdFor,
  ScheduleError, triggerSchedule, unpauseSchedule,
  type CreateScheduleOptions, type ScheduleInfo, type ScheduleStateChange, type ScheduleSummary, type ScheduleTarget, type ScheduleTiming,
} from './schedules';
export { createHexWorker, DEFAULT_TASK_QUEUE, type HexWorkerOptions } from '../worker/createWorker';
export { ConfigError } from '../activities/config/errors';
export { workflowIdFor };
export {
  connectNative, ConnectionSettingsError, resolveConnectionSettings, TemporalConnectionError, type ConnectionFlags, type ConnectionSettings,
} from './connection';

export interface IngestionOptions {
  client: Client;
  /** A workflow file path (the worker reads it), or the parsed file with its secrets as `${...}` references. */
  source: ConfigSource | string;
  taskQueue?: string;
  /**
   * Also require the `${...}` secrets to resolve in this process (default false: only the worker needs them,
   * and it reports them missing when the run starts).
   */
  checkSecrets?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Read the whole lookback window of query history, not only what came after the last completed run. */
  fullHistory?: boolean;
}

export interface IngestionHandle {
  workflowId: string;
  serviceName: string;
  /** The `progress` query: answered by a worker while the run goes on. */
  progress(): Promise<IngestionSummary>;
  /** Waits for the end of the run (across continue-as-new) and gives its summary; rejects when it failed. */
  result(): Promise<IngestionSummary>;
}

function sourceOf(source: ConfigSource | string): ConfigSource {
  return typeof source === 'string' ? { configPath: source } : source;
}

/**
 * Starts an ingestion, or attaches to the one already running for the same service. Throws ConfigError
 * (listing every problem) before anything runs when the configuration is invalid.
 */
export async function startIngestion(options: IngestionOptions): Promise<IngestionHandle> {
  const source = sourceOf(options.source);
  const { serviceName } = prepareSource({ source, env: options.env, checkSecrets: options.checkSecrets ?? false });
  const handle = await startIngestionWorkflow(options.client, {
    source, taskQueue: options.taskQueue, env: options.env, checkSecrets: options.checkSecrets ?? false, fullHistory: options.fullHistory,
  });
  return {
    workflowId: handle.workflowId,
    serviceName,
    progress: () => handle.query(progressQuery),
    result: () => handle.result(),
  };
}

/** Runs an ingestion to its end and returns the summary (rejects when the run failed). */
export async function runIngestion(options: IngestionOptions): Promise<IngestionSummary> {
  return (await startIngestion(options)).result();
}

/**
 * Progress of the service's latest ingestion: the `progress` query while it runs, its summary once it
 * completed. Rejects when there is none, or when it failed (with the failure's message).
 */
export async function getProgress(options: { client: Client; serviceName: string }): Promise<IngestionSummary> {
  const handle = options.client.workflow.getHandle(workflowIdFor(options.serviceName));
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new Error(`no ingestion of service ${options.serviceName} found`);
    throw error;
  }
  return status === 'RUNNING' ? handle.query(progressQuery) : handle.result();
}

/** Running and recent ingestion runs (what `hexmeta status` shows). */
export function listRuns(options: { client: Client } & ListRunsOptions): Promise<IngestionRun[]> {
  return listIngestionRuns(options.client, options);
}

/**
 * A client for the Temporal server of the given settings, else of the environment (TEMPORAL_ADDRESS,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, ...), else of the Temporal config file's profile; close it when done.
 * Settings that do not work fail at once with a TemporalConnectionError naming the one to check.
 */
export async function connect(options: ConnectionFlags & { env?: NodeJS.ProcessEnv } = {}): Promise<{ client: Client; close(): Promise<void> }> {
  const { env, ...flags } = options;
  const settings = resolveConnectionSettings(flags, env ?? process.env);
  const connection = await connectClient(settings);
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, close: () => connection.close() };
}
