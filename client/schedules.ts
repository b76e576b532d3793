import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription, type ScheduleSpec } from '@temporalio/client';
import type { ConfigSource } from '../activities/config/types';
import { DEFAULT_TASK_QUEUE } from '../worker/createWorker';
import type { scheduledHexIngestion, ScheduledIngestionInput } from '../workflows/scheduled';
import { WORKFLOW_TASK_TIMEOUT } from '../workflows/ids';
import { prepareSource } from './core';

const SCHEDULE_PREFIX = 'hexmeta-schedule-';
export const DEFAULT_CATCHUP_WINDOW = '1h';

/** One schedule per dashboard service, like one ingestion per service. */
export function scheduleIdFor(serviceName: string): string {
  return `${SCHEDULE_PREFIX}${serviceName}`;
}

export function serviceOfScheduleId(scheduleId: string): string | null {
  return scheduleId.startsWith(SCHEDULE_PREFIX) ? scheduleId.slice(SCHEDULE_PREFIX.length) : null;
}

/** A wrong schedule request (bad interval, unknown time zone, missing schedule), told in the user's terms. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

export interface ScheduleTiming {
  /** Cron expression, e.g. `0 3 * * *`. */
  cron?: string;
  /** Interval such as `1h`, `30m`, `1d12h`, or milliseconds. */
  every?: string | number;
  /** IANA time zone for the cron expression (default UTC). */
  timezone?: string;
}

export interface CreateScheduleOptions extends ScheduleTiming {
  client: Client;
  /** A workflow file path (read by the worker at every run) or the parsed file with `${...}` secrets. */
  source: ConfigSource;
  taskQueue?: string;
  paused?: boolean;
  /** Runs missed while Temporal was unavailable are still taken when at most this late. */
  catchupWindow?: string | number;
  /** What to do when a scheduled time comes while the previous scheduled run still runs (default SKIP). */
  overlap?: ScheduleOverlapPolicy;
  note?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ScheduleInfo {
  scheduleId: string;
  serviceName: string | null;
  paused: boolean;
  note: string | null;
  cron: string[];
  /** Intervals in milliseconds. */
  intervalsMs: number[];
  timezone: string | null;
  overlap: string | null;
  catchupWindowMs: number | null;
  taskQueue: string | null;
  source: ConfigSource | null;
  nextRuns: string[];
  recentRuns: Array<{ scheduledAt: string; takenAt: string; workflowId: string }>;
  runningWorkflowIds: string[];
  actionsTaken: number | null;
  skippedForOverlap: number | null;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1h`, `90m`, `1d12h`, `45s` or plain milliseconds. */
export function parseInterval(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 1_000) return text;
    throw new ScheduleError(`--every: ${text} ms is shorter than one second`);
  }
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new ScheduleError(`--every: "${text}" is not an interval such as 30m, 1h, 1d or 1d12h`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
  if (ms < 1_000) throw new ScheduleError(`--every: "${text}" is shorter than one second`);
  return ms;
}

function checkTimeZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(`--timezone: "${timezone}" is not an IANA time zone such as Europe/Paris or UTC`);
  }
}

export function scheduleSpecOf(timing: ScheduleTiming): ScheduleSpec {
  const hasCron = Boolean(timing.cron?.trim());
  const hasEvery = timing.every !== undefined && timing.every !== '';
  if (hasCron === hasEvery) throw new ScheduleError('give exactly one of --cron EXPR and --every INTERVAL');
  if (timing.timezone) checkTimeZone(timing.timezone);
  const spec: ScheduleSpec = hasCron
    ? { cronExpressions: [timing.cron!.trim()] }
    : { intervals: [{ every: parseInterval(timing.every!) }] };
  if (timing.timezone) spec.timezone = timing.timezone;
  return spec;
}

/**
 * Creates the service's schedule. Its action is the thin `scheduledHexIngestion` workflow, whose input holds
 * the config path (or the config with `${...}` references): secrets stay with the worker.
 */
export async function createSchedule(options: CreateScheduleOptions): Promise<ScheduleInfo> {
  const spec = scheduleSpecOf(options);
  const catchupWindow = options.catchupWindow === undefined ? DEFAULT_CATCHUP_WINDOW : options.catchupWindow;
  const catchupWindowMs = typeof catchupWindow === 'number' ? catchupWindow : parseInterval(catchupWindow);
  // Validated here so a wrong file fails now, not at 3 a.m.; secrets are the worker's to resolve.
  const { source, serviceName } = prepareSource({ source: options.source, checkSecrets: false, env: options.env });
  const scheduleId = scheduleIdFor(serviceName);
  const input: ScheduledIngestionInput = { source, serviceName };
  try {
    await options.client.schedule.create<typeof scheduledHexIngestion>({
      scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledHexIngestion',
        workflowId: `hexmeta-scheduled-${serviceName}`,
        taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
        workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
        args: [input],
      },
      policies: { overlap: options.overlap ?? ScheduleOverlapPolicy.SKIP, catchupWindow: catchupWindowMs },
      state: { paused: options.paused ?? false, note: options.note },
      // Temporal keeps a cron only in its compiled calendar form: the memo keeps it as written, for describe.
      memo: { serviceName, cron: spec.cronExpressions ?? [] },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) {
      throw new ScheduleError(`schedule ${scheduleId} already exists: delete it first to change it`);
    }
    throw error;
  }
  return describeSchedule({ client: options.client, serviceName });
}

/** Names one schedule: the client and the dashboard service it belongs to. */
export interface ScheduleTarget {
  client: Client;
  serviceName: string;
}

/** A schedule and why its state changes (shown by describe). */
export interface ScheduleStateChange extends ScheduleTarget {
  note?: string;
}

function handleOf(client: Client, serviceName: string) {
  return client.schedule.getHandle(scheduleIdFor(serviceName));
}

async function notFoundAsScheduleError<T>(serviceName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError || /not found/i.test((error as Error).message ?? '')) {
      throw new ScheduleError(`no schedule ${scheduleIdFor(serviceName)} (service ${serviceName})`);
    }
    throw error;
  }
}

function infoOf(d: ScheduleDescription): ScheduleInfo {
  const action = d.action;
  const input = (action.args?.[0] ?? null) as ScheduledIngestionInput | null;
  return {
    scheduleId: d.scheduleId,
    serviceName: serviceOfScheduleId(d.scheduleId),
    paused: d.state.paused,
    note: d.state.note || null,
    cron: Array.isArray(d.memo?.cron) ? d.memo.cron.map(String) : [],
    intervalsMs: (d.spec.intervals ?? []).map((i) => Number(i.every)),
    timezone: d.spec.timezone ?? null,
    overlap: d.policies.overlap ?? null,
    catchupWindowMs: d.policies.catchupWindow ?? null,
    taskQueue: action.taskQueue ?? null,
    source: input?.source ?? null,
    nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
    recentRuns: d.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(), takenAt: a.takenAt.toISOString(), workflowId: a.action.workflow.workflowId,
    })),
    runningWorkflowIds: d.info.runningActions.map((a) => a.workflow.workflowId),
    actionsTaken: d.info.numActionsTaken,
    skippedForOverlap: d.info.numActionsSkippedOverlap,
  };
}

export async function describeSchedule({ client, serviceName }: ScheduleTarget): Promise<ScheduleInfo> {
  return notFoundAsScheduleError(serviceName, async () => infoOf(await handleOf(client, serviceName).describe()));
}

export async function pauseSchedule({ client, serviceName, note = 'paused with hexmeta' }: ScheduleStateChange): Promise<void> {
  await notFoundAsScheduleError(serviceName, () => handleOf(client, serviceName).pause(note));
}

export async function unpauseSchedule({ client, serviceName, note = 'unpaused with hexmeta' }: ScheduleStateChange): Promise<void> {
  await notFoundAsScheduleError(serviceName, () => handleOf(client, serviceName).unpause(note));
}

/** Runs the schedule's action now; the schedule's own overlap policy applies (the SDK's default would allow all). */
export async function triggerSchedule({ client, serviceName }: ScheduleTarget): Promise<void> {
  await notFoundAsScheduleError(serviceName, async () => {
    const handle = handleOf(client, serviceName);
    const { policies } = await handle.describe();
    await handle.trigger(policies.overlap ?? ScheduleOverlapPolicy.SKIP);
  });
}

export async function deleteSchedule({ client, serviceName }: ScheduleTarget): Promise<void> {
  await notFoundAsScheduleError(serviceName, () => handleOf(client, serviceName).delete());
}

export interface ScheduleSummary {
  scheduleId: string;
  serviceName: string;
  paused: boolean;
  nextRuns: string[];
  note: string | null;
}

/** hexmeta's schedules (listing is eventually consistent: a new schedule may take a moment to appear). */
export async function listSchedules({ client }: { client: Client }): Promise<ScheduleSummary[]> {
  const found = [];
  for await (const s of client.schedule.list()) {
    const serviceName = serviceOfScheduleId(s.scheduleId);
    if (serviceName === null) continue;
    found.push({ scheduleId: s.scheduleId, serviceName, paused: s.state.paused, nextRuns: s.info.nextActionTimes.map((t) => t.toISOString()), note: s.state.note || null });
  }
  return found.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}
