/**
 * The client's core: connects to Temporal (through ./connection), reads and validates a workflow file once,
 * starts or attaches to a service's ingestion, lists runs and queries their progress. The typed API (./index)
 * exports from here; the CLI commands only parse flags and print.
 */
import { resolve } from 'node:path';
import { Client, WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { processLog } from '../activities/common/log';
import { literalSecretPaths, resolveConfig, type ResolvedConfig } from '../activities/config/load';
import type { ConfigSource, IngestionPlan } from '../activities/config/types';
import { SETUP_FAILURE_TYPES } from '../activities/failures';
import { DEFAULT_TASK_QUEUE } from '../worker/createWorker';
import type { hexIngestion } from '../workflows';
import { ingestionWorkflowId, WORKFLOW_TASK_TIMEOUT } from '../workflows/ids';
import { progressQuery, type IngestionSummary } from '../workflows/messages';
import { rootMessage } from '../workflows/summary';
import { connectClient, resolveConnectionSettings, type ConnectionFlags, type ConnectionSettings } from './connection';
import { CREATE_SEARCH_ATTRIBUTES_COMMAND, isUnregisteredSearchAttribute, visibilityOptions, type Trigger } from './visibility';

import { listIngestionRuns, type IngestionRun, type ListRunsOptions } from './runList';

export { listIngestionRuns, type IngestionRun, type ListRunsOptions };
export { literalSecretPaths, rootMessage };

/** One ingestion per dashboard service: the workflow id is derived from the service name. */
export const workflowIdFor = ingestionWorkflowId;

// --- Connecting -------------------------------------------------------------------------------------------

export interface TemporalClient {
  client: Client;
  settings: ConnectionSettings;
  close(): Promise<void>;
}

/** Schedules and status need a long-running server: an embedded dev server stops with the command. */
export class NoTemporalServerError extends Error {}

/**
 * A client for the Temporal server of the given settings, else of the environment (TEMPORAL_ADDRESS,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, ...), else of the Temporal config file's profile; close it when done.
 * Settings that do not work fail at once with a TemporalConnectionError naming the one to check.
 */
export async function connect(options: ConnectionFlags & { env?: NodeJS.ProcessEnv } = {}): Promise<TemporalClient> {
  const { env, ...flags } = options;
  return connectWith(resolveConnectionSettings(flags, env ?? process.env));
}

/** A client for the server the resolved settings name. */
export async function connectWith(settings: ConnectionSettings): Promise<TemporalClient> {
  const connection = await connectClient(settings);
  return { client: new Client({ connection, namespace: settings.namespace }), settings, close: () => connection.close() };
}

/** Like connect, but refuses settings that name no server (NoTemporalServerError) instead of trying one. */
export async function connectRemote(flags: ConnectionFlags = {}): Promise<TemporalClient> {
  const settings = resolveConnectionSettings(flags);
  if (!settings.address) {
    throw new NoTemporalServerError('TEMPORAL_ADDRESS is not set, nor --address, nor an address in a Temporal profile: schedules and status need '
      + 'a long-running Temporal server (and `hexmeta worker` processes)');
  }
  return connectWith(settings);
}

// --- The workflow file ------------------------------------------------------------------------------------

export interface PreparedSource {
  /** What the workflow is given: the file's absolute path, or the parsed file with `${...}` references. */
  source: ConfigSource;
  serviceName: string;
  plan: IngestionPlan;
  /** The whole file as resolved here (secrets only when checked). */
  config: ResolvedConfig;
}

/**
 * Reads and validates the configuration here, once per start (fails before anything is written), and gives
 * the workflow input. With `checkSecrets` false the `${...}` secrets need not resolve in this process.
 */
export function prepareSource(options: { source: ConfigSource | string; env?: NodeJS.ProcessEnv; checkSecrets?: boolean }): PreparedSource {
  const given = typeof options.source === 'string' ? { configPath: options.source } : options.source;
  const source: ConfigSource = 'configPath' in given ? { configPath: resolve(given.configPath) } : given;
  const config = resolveConfig(source, options.env ?? process.env, options.checkSecrets ?? true);
  return { source, serviceName: config.plan.serviceName, plan: config.plan, config };
}

// --- Starting and attaching -------------------------------------------------------------------------------

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
  /** Recorded as the run's HexmetaTrigger search attribute (default `api`). */
  trigger?: Trigger;
  /** The source as prepareSource gave it, when the caller read the file already: it is not read again. */
  prepared?: PreparedSource;
}

export interface IngestionHandle {
  workflowId: string;
  serviceName: string;
  /** The `progress` query: answered by a worker while the run goes on. */
  progress(): Promise<IngestionSummary>;
  /** Waits for the end of the run (across continue-as-new) and gives its summary; rejects when it failed. */
  result(): Promise<IngestionSummary>;
  /** The Temporal handle of the run, for describing, cancelling or reading its history. */
  workflow: WorkflowHandle<typeof hexIngestion>;
}

/**
 * Starts an ingestion, or attaches to the one already running for the same service (a second start never
 * runs two ingestions of one service side by side). Throws ConfigError (listing every problem) before
 * anything runs when the configuration is invalid.
 */
export async function startIngestion(options: IngestionOptions): Promise<IngestionHandle> {
  const { source, serviceName, plan } = options.prepared
    ?? prepareSource({ source: options.source, env: options.env, checkSecrets: options.checkSecrets ?? false });
  const { client } = options;
  const workflowId = workflowIdFor(serviceName);
  const historyReadUntil = options.fullHistory ? undefined : await lastHistoryReadUntil(client, workflowId);
  const { typedSearchAttributes, ...shown } = visibilityOptions(source, plan, options.trigger ?? 'api');
  const start = (withAttributes: boolean) => client.workflow.start('hexIngestion', {
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [{ source, historyReadUntil }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    ...shown,
    ...(withAttributes ? { typedSearchAttributes } : {}),
  }) as Promise<WorkflowHandle<typeof hexIngestion>>;
  let workflow: WorkflowHandle<typeof hexIngestion>;
  try {
    workflow = await start(true);
  } catch (error) {
    if (!isUnregisteredSearchAttribute(error)) throw error;
    // A namespace without hexmeta's search attributes still runs ingestions; they are just harder to find.
    processLog().warn(`Temporal namespace lacks hexmeta's search attributes; the run starts without them. Create them once: ${CREATE_SEARCH_ATTRIBUTES_COMMAND}`);
    workflow = await start(false);
  }
  return {
    workflowId: workflow.workflowId,
    serviceName,
    progress: () => workflow.query(progressQuery),
    result: () => workflow.result(),
    workflow,
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
 * Where the service's last completed ingestion left each warehouse's query history, while Temporal still
 * keeps that run (its retention); without it the run reads the whole lookback window, which is always safe.
 */
export async function lastHistoryReadUntil(client: Client, workflowId: string): Promise<Record<string, string> | undefined> {
  if (/['\\]/.test(workflowId)) return undefined;
  try {
    let latest: { runId: string; closedAt: number } | null = null;
    let seen = 0;
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'` })) {
      const closedAt = run.closeTime?.getTime() ?? 0;
      if (!latest || closedAt > latest.closedAt) latest = { runId: run.runId, closedAt };
      if (++seen >= 20) break;
    }
    if (!latest) return undefined;
    const summary = await client.workflow.getHandle(workflowId, latest.runId).result() as Partial<IngestionSummary> | undefined;
    return summary?.historyReadUntil;
  } catch {
    return undefined;
  }
}

// --- Failures ---------------------------------------------------------------------------------------------

/** The failure type at the root of a failed run (ConfigError, AuthenticationError, ...). */
export function failureTypeOf(error: unknown): string | null {
  let cause: unknown = error instanceof WorkflowFailedError ? error.cause : error;
  let type: string | null = null;
  while (cause && typeof cause === 'object') {
    const c = cause as { type?: string; cause?: unknown };
    if (typeof c.type === 'string') type = c.type;
    cause = c.cause;
  }
  return type;
}

export function isSetupFailure(error: unknown): boolean {
  const type = failureTypeOf(error);
  return type !== null && (SETUP_FAILURE_TYPES as readonly string[]).includes(type);
}
