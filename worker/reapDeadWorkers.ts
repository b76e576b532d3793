// Fails at once the activity attempts of hexmeta workers on this host that died, so Temporal retries them now
// rather than after their heartbeat timeout.
import { hostname } from 'node:os';
import { ApplicationFailure, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { processLog, type Log } from '../activities/common/log';
import { pidOnHost, processAlive, workerIdentity, type HostCheck } from './identity';
import { watchSiblings } from './siblingWatch';

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

export { pidOnHost, processAlive, workerIdentity };

const PENDING_ACTIVITY_STATE_STARTED = 2;

export type DeadWorkerCheck = HostCheck;

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
  /**
   * Also sends each running workflow's next workflow task to any worker rather than the one it is sticky to,
   * which may be the worker that died (it would wait out the sticky timeout).
   */
  resetSticky?: boolean;
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

async function resetSticky(client: Client, workflowId: string, runId: string, log: Log): Promise<void> {
  try {
    await client.workflowService.resetStickyTaskQueue({ namespace: client.options.namespace, execution: { workflowId, runId } });
  } catch (error) {
    // The run ended meanwhile, or the server is older: the task waits out the sticky timeout, as it would have.
    log.debug(`sticky task queue of ${workflowId} not reset: ${(error as Error).message}`);
  }
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
    if (options.resetSticky) await resetSticky(client, workflowId, runId, log);
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

/** How often a running worker looks anyway (a worker on another host, or one not yet seen polling). */
export const REAP_EVERY_MS = 10_000;
/**
 * Siblings that see the same death act one after another, this far apart (lowest pid first): the first one's
 * retry has started by the time the next looks, so no sibling fails the new attempt.
 */
export const REAP_STAGGER_MS = 1_000;

type StartReapingOptions = ReapOptions & { everyMs?: number; env?: NodeJS.ProcessEnv; siblingRefreshMs?: number; siblingCheckMs?: number };

/**
 * A pass now (a worker that starts again after a crash picks up its own dead attempts), every `everyMs` after,
 * and as soon as another worker of this host and task queue is seen to die. Passes never overlap; a failing
 * pass (server away) is logged once until one succeeds again. HEXMETA_REAP_DEAD_WORKERS=false turns it off,
 * for hosts whose workers share a hostname but not a pid namespace.
 */
export function startReaping(options: StartReapingOptions): Reaping {
  const env = options.env ?? process.env;
  if (/^(false|0|off|no)$/i.test(env.HEXMETA_REAP_DEAD_WORKERS ?? '')) return { stop: async () => undefined };
  const log = options.log ?? processLog();
  const host = options.host ?? hostname();
  const ownPid = options.ownPid ?? process.pid;
  const isAlive = options.isAlive ?? processAlive;
  let inFlight: Promise<void> | null = null;
  // A death seen while a pass runs gets a pass of its own after it (the running one may have looked before).
  let deathPending = false;
  let failing = false;
  const delays = new Set<NodeJS.Timeout>();
  // Stopping aborts a pass in flight: a worker's shutdown never waits on calls retrying against an absent server.
  const stopped = new AbortController();
  const pass = (afterDeath = false) => {
    if (stopped.signal.aborted) return;
    if (inFlight) {
      deathPending ||= afterDeath;
      return;
    }
    const reap = () => reapDeadWorkers({ ...options, host, ownPid, isAlive, log, resetSticky: afterDeath });
    inFlight = options.client.withAbortSignal(stopped.signal, reap).then(
      () => { failing = false; },
      (error: Error) => {
        if (stopped.signal.aborted) return;
        if (!failing) log.warn(`looking for activities of dead workers failed (tried again every ${(options.everyMs ?? REAP_EVERY_MS) / 1000} s): ${error.message}`);
        failing = true;
      },
    ).finally(() => {
      inFlight = null;
      if (deathPending) {
        deathPending = false;
        pass(true);
      }
    });
  };
  pass();
  const timer = setInterval(() => pass(), options.everyMs ?? REAP_EVERY_MS);
  timer.unref();
  const watch = watchSiblings({
    client: options.client, taskQueue: options.taskQueue, host, ownPid, isAlive,
    refreshEveryMs: options.siblingRefreshMs, checkEveryMs: options.siblingCheckMs,
    onDeath: (_dead, alive) => {
      const rank = alive.filter((pid) => pid < ownPid).length;
      const delay = setTimeout(() => { delays.delete(delay); pass(true); }, rank * REAP_STAGGER_MS);
      delays.add(delay);
    },
  });
  return {
    stop: async () => {
      clearInterval(timer);
      watch.stop();
      for (const delay of delays) clearTimeout(delay);
      stopped.abort();
      await inFlight;
    },
  };
}

/** Runs `work` (a worker's run) with reaping beside it. */
export async function withReaping<T>(options: StartReapingOptions, work: () => Promise<T>): Promise<T> {
  const reaping = startReaping(options);
  try {
    return await work();
  } finally {
    await reaping.stop();
  }
}
