import { Client } from '@temporalio/client';
import { ConfigError } from '../../activities/config/errors';
import type { ScheduleOverlapPolicy } from '@temporalio/client';
import { connectionFlags, ConnectionSettingsError, TemporalConnectionError, type ConnectionFlags, type ConnectionSettings } from '../connection';
import { connectRemote, NoTemporalServerError, prepareSource, type TemporalClient } from '../core';
import {
  createSchedule, deleteSchedule, describeSchedule, listSchedules, pauseSchedule, ScheduleError, scheduleIdFor, scheduleSpecOf, triggerSchedule,
  unpauseSchedule, type ScheduleInfo,
} from '../schedules';
import { EXIT_ITEM_FAILURES, EXIT_OK, EXIT_SETUP_FAILED } from '../summary';

const OVERLAP_POLICIES = ['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'] as const;

/**
 * Schedules and status live on a long-running Temporal server: an embedded dev server stops with the command,
 * so these commands need one named by the connection settings. Returns null (after saying why) when it cannot
 * be reached.
 */
export async function connectRemoteTemporal(flags: ConnectionFlags = {}): Promise<TemporalClient | null> {
  try {
    return await connectRemote(connectionFlags(flags));
  } catch (error) {
    if (!(error instanceof ConnectionSettingsError || error instanceof TemporalConnectionError || error instanceof NoTemporalServerError)) throw error;
    console.error(error.message);
    return null;
  }
}

export interface ScheduleTarget extends ConnectionFlags {
  /** The dashboard service; or derived from the workflow file given with -c. */
  service?: string;
  config?: string;
}

function serviceOf(target: ScheduleTarget): string {
  if (target.service) return target.service;
  if (target.config) return prepareSource({ source: { configPath: target.config }, checkSecrets: false }).serviceName;
  throw new ScheduleError('name the service (hexmeta schedule <command> SERVICE) or give its workflow file with -c');
}

function duration(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1_000, 's']];
  let rest = ms;
  let text = '';
  for (const [size, unit] of units) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || `${ms}ms`;
}

export function formatSchedule(info: ScheduleInfo): string {
  const when = [...info.cron.map((c) => `cron "${c}"`), ...info.intervalsMs.map((ms) => `every ${duration(ms)}`)].join(', ');
  const source = info.source && 'configPath' in info.source ? info.source.configPath : info.source ? 'inline configuration' : '?';
  const lines = [
    `Schedule ${info.scheduleId} (service ${info.serviceName ?? '?'})`,
    `  State:          ${info.paused ? 'paused' : 'active'}${info.note ? ` — ${info.note}` : ''}`,
    `  When:           ${when}${info.timezone ? ` (${info.timezone})` : ' (UTC)'}`,
    `  Overlap:        ${info.overlap ?? '?'}; catch-up window ${info.catchupWindowMs === null ? '?' : duration(info.catchupWindowMs)}`,
    `  Configuration:  ${source} (task queue ${info.taskQueue ?? '?'})`,
    `  Next runs:      ${info.nextRuns.slice(0, 3).join(', ') || 'none'}`,
    `  Runs taken:     ${info.actionsTaken ?? '?'} (skipped for overlap: ${info.skippedForOverlap ?? '?'})`,
  ];
  for (const run of info.recentRuns.slice(-5)) lines.push(`  Recent:         ${run.takenAt} ${run.workflowId}`);
  for (const id of info.runningWorkflowIds) lines.push(`  Running:        ${id}`);
  return lines.join('\n');
}

/** Runs one schedule subcommand with a Temporal connection, mapping user errors to exit codes. */
async function withTemporal(flags: ConnectionFlags, work: (client: Client, settings: ConnectionSettings) => Promise<void>): Promise<number> {
  const temporal = await connectRemoteTemporal(flags);
  if (!temporal) return EXIT_SETUP_FAILED;
  try {
    await work(temporal.client, temporal.settings);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT_SETUP_FAILED;
    }
    if (error instanceof ScheduleError) {
      console.error(error.message);
      return EXIT_ITEM_FAILURES;
    }
    console.error(`Schedule request failed: ${(error as Error).message}`);
    return EXIT_ITEM_FAILURES;
  } finally {
    await temporal.close();
  }
}

export interface ScheduleCreateOptions extends ConnectionFlags {
  config: string;
  cron?: string;
  every?: string;
  timezone?: string;
  paused?: boolean;
  catchupWindow?: string;
  overlap?: string;
  json?: boolean;
}

export async function scheduleCreateCommand(options: ScheduleCreateOptions): Promise<number> {
  const overlap = (options.overlap ?? 'SKIP').toUpperCase().replace(/-/g, '_');
  if (!(OVERLAP_POLICIES as readonly string[]).includes(overlap)) {
    console.error(`--overlap: "${options.overlap}" is not one of ${OVERLAP_POLICIES.join(', ')}`);
    return EXIT_SETUP_FAILED;
  }
  try {
    scheduleSpecOf(options);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    console.error(error.message);
    return EXIT_SETUP_FAILED;
  }
  return withTemporal(options, async (client, settings) => {
    const info = await createSchedule({
      client,
      source: { configPath: options.config },
      cron: options.cron,
      every: options.every,
      timezone: options.timezone,
      paused: options.paused,
      catchupWindow: options.catchupWindow,
      overlap: overlap as ScheduleOverlapPolicy,
      taskQueue: settings.taskQueue,
    });
    console.log(options.json ? JSON.stringify(info, null, 2) : `Created ${formatSchedule(info)}`);
  });
}

export async function scheduleListCommand(options: ConnectionFlags & { json?: boolean }): Promise<number> {
  return withTemporal(options, async (client) => {
    const schedules = await listSchedules({ client });
    if (options.json) return void console.log(JSON.stringify(schedules, null, 2));
    if (!schedules.length) return void console.log('No hexmeta schedules.');
    for (const s of schedules) {
      console.log(`${s.serviceName}  ${s.paused ? 'paused' : 'active'}  next ${s.nextRuns[0] ?? '-'}  (${s.scheduleId})`);
    }
  });
}

export async function scheduleDescribeCommand(target: ScheduleTarget & { json?: boolean }): Promise<number> {
  return withTemporal(target, async (client) => {
    const info = await describeSchedule({ client, serviceName: serviceOf(target) });
    console.log(target.json ? JSON.stringify(info, null, 2) : formatSchedule(info));
  });
}

type SimpleAction = 'pause' | 'unpause' | 'trigger' | 'delete';

const SIMPLE_ACTIONS: Record<SimpleAction, { run: (target: { client: Client; serviceName: string; note?: string }) => Promise<void>; done: string }> = {
  pause: { run: pauseSchedule, done: 'Paused' },
  unpause: { run: unpauseSchedule, done: 'Unpaused' },
  trigger: { run: triggerSchedule, done: 'Triggered' },
  delete: { run: deleteSchedule, done: 'Deleted' },
};

export async function scheduleActionCommand(action: SimpleAction, target: ScheduleTarget & { note?: string; json?: boolean }): Promise<number> {
  return withTemporal(target, async (client) => {
    const serviceName = serviceOf(target);
    await SIMPLE_ACTIONS[action].run({ client, serviceName, ...(target.note !== undefined ? { note: target.note } : {}) });
    if (target.json) console.log(JSON.stringify({ action, scheduleId: scheduleIdFor(serviceName), serviceName }, null, 2));
    else console.log(`${SIMPLE_ACTIONS[action].done} the schedule of service ${serviceName}`);
  });
}
