// Fails at once the activity attempts of hexmeta workers on this host that died, so Temporal retries them now
// rather than after their heartbeat timeout.
import { hostname } from 'node:os';
import { ApplicationFailure, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { processLog, type Log } from '../activities/common/log';

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** The SDK's default identity, kept explicit: the reaper reads the pid and host back from it. */
export function workerIdentity(pid = process.pid, host = hostname()): string {
  return `${pid}@${host}`;
}

/** The pid of `identity` when it names a process of `host` (identities are `<pid>@<hostname>`). */
export function pidOnHost(identity: string | null | undefined, host: string): number | null {
  const match = /^(\d+)@(.+)$/.exec(identity ?? '');
  if (!match || match[2] !== host) return null;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** False only when no such process exists (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const PENDING_ACTIVITY_STATE_STARTED = 2;

export interface DeadWorkerCheck {
  host: string;
  ownPid: number;
  isAlive: (pid: number) => boolean;
}

/** The pid of the dead local worker running this attempt, or null when it is not one (other host, alive, ours). */
export function deadLocalWorker(activity: PendingActivity, check: DeadWorkerCheck): number | null {
  if (activity.state !== PENDING_ACTIVITY_STATE_STARTED) return null;
  const pid = pidOnHost(activity.lastWorkerIdentity, check.host);
  if (pid === null || pid === check.ownPid || check.isAlive(pid)) return null;
  return pid;
}

export interface ReapOptions {
  client: Client;
  taskQueue: string;
  log?: Log;
  host?: string;
  ownPid?: number;
  isAlive?: (pid: number) => boolean;
}

export interface ReapedActivity {
  workflowId: string;
  runId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  identity: string;
}

/** A visibility query for the running workflows of one task queue (quotes in the name escaped). */
export function runningOnTaskQueue(taskQueue: string): string {
  return `ExecutionStatus='Running' AND TaskQueue='${taskQueue.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function pendingActivities(client: Client, workflowId: string, runId: string): Promise<PendingActivity[]> {
  const description = await client.workflow.getHandle(workflowId, runId).describe();
  return description.raw.pendingActivities ?? [];
}

/**
 * One pass: every STARTED activity attempt of a running workflow of `taskQueue` whose worker is a dead process
 * of this host is failed with a retryable error. Only this host's pids can be checked; attempts of workers on
 * other hosts wait for their heartbeat timeout as before. Each candidate is described again right before it is
 * failed: the attempt must be the same (number and identity), so one that ended or moved on is left alone.
 * The remaining window (a new attempt starting between that check and the fail) costs one extra attempt of an
 * activity whose writes are idempotent, never a lost one.
 */
export async function reapDeadWorkers(options: ReapOptions): Promise<ReapedActivity[]> {
  const { client, taskQueue } = options;
  const log = options.log ?? processLog();
  const check: DeadWorkerCheck = {
    host: options.host ?? hostname(), ownPid: options.ownPid ?? process.pid, isAlive: options.isAlive ?? processAlive,
  };
  const reaped: ReapedActivity[] = [];
  for await (const execution of client.workflow.list({ query: runningOnTaskQueue(taskQueue) })) {
    const { workflowId, runId } = execution;
    const candidates = (await pendingActivities(client, workflowId, runId)).filter((a) => deadLocalWorker(a, check) !== null);
    if (!candidates.length) continue;
    const now = await pendingActivities(client, workflowId, runId);
    for (const candidate of candidates) {
      const same = now.find((a) => a.activityId === candidate.activityId);
      if (!same || same.attempt !== candidate.attempt || same.lastWorkerIdentity !== candidate.lastWorkerIdentity
        || deadLocalWorker(same, check) === null) continue;
      const identity = String(candidate.lastWorkerIdentity);
      const activity: ReapedActivity = {
        workflowId, runId, activityId: String(candidate.activityId), activityType: String(candidate.activityType?.name ?? ''),
        attempt: candidate.attempt ?? 0, identity,
      };
      try {
        await client.activity.fail({ workflowId, runId, activityId: activity.activityId }, ApplicationFailure.create({
          message: `worker ${identity} is gone`,
          type: 'WorkerGone',
          // The attempt died with its worker: the next one starts now, not after the retry policy's backoff.
          nextRetryDelay: '100 milliseconds',
        }));
      } catch (error) {
        // The attempt completed, failed or timed out meanwhile: nothing left to reap.
        log.debug(`activity ${activity.activityId} of ${workflowId} not reaped: ${(error as Error).message}`);
        continue;
      }
      reaped.push(activity);
      log.info(`retrying activity ${activity.activityType} (${activity.activityId}, attempt ${activity.attempt}) of workflow ${workflowId} at once: worker ${identity} is gone`);
    }
  }
  return reaped;
}

export interface Reaping {
  /** Stops the passes and waits for the one in flight. */
  stop(): Promise<void>;
}

/** How often a running worker looks: a worker killed beside it costs at most this, not a heartbeat timeout. */
export const REAP_EVERY_MS = 10_000;

/**
 * A pass now (a worker that starts again after a crash picks up its own dead attempts) and every `everyMs`
 * after. Passes never overlap; a failing pass (server away) is logged once until one succeeds again.
 * HEXMETA_REAP_DEAD_WORKERS=false turns it off, for hosts whose workers share a hostname but not a pid namespace.
 */
export function startReaping(options: ReapOptions & { everyMs?: number; env?: NodeJS.ProcessEnv }): Reaping {
  const env = options.env ?? process.env;
  if (/^(false|0|off|no)$/i.test(env.HEXMETA_REAP_DEAD_WORKERS ?? '')) return { stop: async () => undefined };
  const log = options.log ?? processLog();
  let inFlight: Promise<void> | null = null;
  let failing = false;
  // Stopping aborts a pass in flight: a worker's shutdown never waits on calls retrying against an absent server.
  const stopped = new AbortController();
  const pass = () => {
    if (inFlight) return;
    inFlight = options.client.withAbortSignal(stopped.signal, () => reapDeadWorkers({ ...options, log })).then(
      () => { failing = false; },
      (error: Error) => {
        if (stopped.signal.aborted) return;
        if (!failing) log.warn(`looking for activities of dead workers failed (tried again every ${(options.everyMs ?? REAP_EVERY_MS) / 1000} s): ${error.message}`);
        failing = true;
      },
    ).finally(() => { inFlight = null; });
  };
  pass();
  const timer = setInterval(pass, options.everyMs ?? REAP_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      stopped.abort();
      await inFlight;
    },
  };
}

/** Runs `work` (a worker's run) with reaping beside it. */
export async function withReaping<T>(options: ReapOptions & { everyMs?: number; env?: NodeJS.ProcessEnv }, work: () => Promise<T>): Promise<T> {
  const reaping = startReaping(options);
  try {
    return await work();
  } finally {
    await reaping.stop();
  }
}
