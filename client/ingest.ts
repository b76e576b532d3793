import { resolve } from 'node:path';
import { Client, WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { literalSecretPaths, resolveConfig } from '../activities/config/load';
import type { ConfigSource } from '../activities/config/types';
import { SETUP_FAILURE_TYPES } from '../activities/failures';
import { DEFAULT_TASK_QUEUE } from '../worker/createWorker';
import type { hexIngestion } from '../workflows';
import { ingestionWorkflowId } from '../workflows/ids';
import { progressQuery, type IngestionSummary } from '../workflows/messages';
import { processLog } from '../activities/common/log';
import type { IngestionPlan } from '../activities/config/types';
import { CREATE_SEARCH_ATTRIBUTES_COMMAND, isUnregisteredSearchAttribute, visibilityOptions, type Trigger } from './visibility';

export interface StartOptions {
  /** A workflow file path (read by the worker) or the parsed file with `${...}` secrets left unresolved. */
  source: ConfigSource;
  taskQueue?: string;
  /** Whether this process holds the secrets (embedded worker); otherwise only the worker must. */
  checkSecrets?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Read the whole lookback window of query history, not only what came after the last completed run. */
  fullHistory?: boolean;
  /** Recorded as the run's HexmetaTrigger search attribute (default `api`). */
  trigger?: Trigger;
}

/** One ingestion per dashboard service: the workflow id is derived from the service name. */
export const workflowIdFor = ingestionWorkflowId;

/** Validates the configuration here (fails before anything is written) and gives the workflow input. */
export function prepareSource(options: StartOptions): { source: ConfigSource; serviceName: string; plan: IngestionPlan } {
  const source: ConfigSource = 'configPath' in options.source
    ? { configPath: resolve(options.source.configPath) }
    : options.source;
  const config = resolveConfig(source, options.env ?? process.env, options.checkSecrets ?? true);
  return { source, serviceName: config.plan.serviceName, plan: config.plan };
}

/**
 * Starts the ingestion, or attaches to the one already running for the same service (a second start never
 * runs two ingestions of one service side by side).
 */
export async function startIngestion(client: Client, options: StartOptions): Promise<WorkflowHandle<typeof hexIngestion>> {
  const { source, serviceName, plan } = prepareSource(options);
  const workflowId = workflowIdFor(serviceName);
  const historyReadUntil = options.fullHistory ? undefined : await lastHistoryReadUntil(client, workflowId);
  const { typedSearchAttributes, ...shown } = visibilityOptions(source, plan, options.trigger ?? 'api');
  const start = (withAttributes: boolean) => client.workflow.start('hexIngestion', {
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId,
    args: [{ source, historyReadUntil }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    ...shown,
    ...(withAttributes ? { typedSearchAttributes } : {}),
  }) as Promise<WorkflowHandle<typeof hexIngestion>>;
  try {
    return await start(true);
  } catch (error) {
    if (!isUnregisteredSearchAttribute(error)) throw error;
    // A namespace without hexmeta's search attributes still runs ingestions; they are just harder to find.
    processLog().warn(`Temporal namespace lacks hexmeta's search attributes; the run starts without them. Create them once: ${CREATE_SEARCH_ATTRIBUTES_COMMAND}`);
    return start(false);
  }
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

export async function getProgress(client: Client, serviceName: string): Promise<IngestionSummary> {
  return client.workflow.getHandle(workflowIdFor(serviceName)).query(progressQuery);
}

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

/** Innermost failure message (the activity's own words). */
export function rootMessage(error: unknown): string {
  let cause: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  while (cause && typeof cause === 'object' && 'cause' in cause && (cause as { cause?: unknown }).cause) {
    cause = (cause as { cause: unknown }).cause;
    if (cause instanceof Error && cause.message) message = cause.message;
  }
  return message;
}

export { literalSecretPaths };
