// Kills workers, then the Temporal server, at random points of a run's progress.
import type { WorkerPool } from './workerPool';
import { seededRandom } from '../../servers/random';
export { seededRandom };

export interface ChaosPlan {
  /** Progress fractions (0..1 of the dashboards written) at which a worker is killed, ascending. */
  workerKillsAt: number[];
  /** Progress fraction at which the Temporal server is killed, after the last worker kill. */
  serverKillAt: number;
}

/**
 * Kill points are drawn from progress rather than the clock: a loaded machine slows the run and the
 * kills alike, so every kill still lands inside the run however long it takes.
 */
export function planChaos(random: () => number, kills: number): ChaosPlan {
  // Kills and replacements take seconds while the run moves in bursts, so the plan leaves room before the end.
  const workerKillsAt = Array.from({ length: kills }, () => 0.03 + random() * 0.67).sort((a, b) => a - b);
  return { workerKillsAt, serverKillAt: 0.78 + random() * 0.08 };
}

export interface ChaosHooks {
  /** Fraction of the expected dashboards written so far. */
  progress(): number;
  /** True once the run has ended (then nothing more is killed). */
  finished(): boolean;
  /** Pid of the worker running the workflow's activity now, if one is running. */
  activityWorkerPid(): Promise<number | null>;
  /** Slows the run for a moment (called while it has run past the next kill point). */
  holdBack(): void;
  killServer(): Promise<void>;
  restartServer(): Promise<void>;
}

export interface ChaosRecord {
  workerKills: number;
  /** Kills that hit the worker running an activity (the rest hit idle or workflow-only workers). */
  activitiesInterrupted: number;
  serverRestarts: number;
  /** Progress at each kill, for the report. */
  killProgress: number[];
  /** Seconds from the start of the chaos at each kill, and what it waited on. */
  timeline: string[];
  serverKillProgress: number | null;
  serverDowntimeMs: number;
  /** Times the run was held back so that a kill could land where the plan put it. */
  holdBacks: number;
}

const POLL_MS = 150;
/** How far past a kill point the run may get before it is held back. */
const HOLD_MARGIN = 0.02;
const HOLD_EVERY_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reach(hooks: ChaosHooks, fraction: number): Promise<boolean> {
  while (!hooks.finished()) {
    if (hooks.progress() >= fraction) return true;
    await sleep(POLL_MS);
  }
  return false;
}

async function busyWorker(hooks: ChaosHooks, pool: WorkerPool, timeoutMs = 15_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (!hooks.finished() && Date.now() < deadline) {
    const pid = await hooks.activityWorkerPid().catch(() => null);
    if (pid !== null && pool.pids().includes(pid)) return pid;
    await sleep(POLL_MS);
  }
  return null;
}

/** Runs the plan against a live run; stops early (recording less) if the run ends first. */
export async function runChaos(plan: ChaosPlan, pool: WorkerPool, hooks: ChaosHooks, random: () => number): Promise<ChaosRecord> {
  const record: ChaosRecord = {
    workerKills: 0, activitiesInterrupted: 0, serverRestarts: 0, killProgress: [], timeline: [], serverKillProgress: null, serverDowntimeMs: 0, holdBacks: 0,
  };
  // Killing and replacing takes seconds; when the run outpaces that, it is slowed rather than the kill moved.
  let pendingAt = plan.workerKillsAt[0] ?? plan.serverKillAt;
  const brake = setInterval(() => {
    if (!hooks.finished() && hooks.progress() > pendingAt + HOLD_MARGIN) {
      hooks.holdBack();
      record.holdBacks++;
    }
  }, HOLD_EVERY_MS);
  try {
    return await killAsPlanned(plan, pool, hooks, random, record, (at) => { pendingAt = at; });
  } finally {
    clearInterval(brake);
  }
}

async function killAsPlanned(
  plan: ChaosPlan, pool: WorkerPool, hooks: ChaosHooks, random: () => number, record: ChaosRecord, next: (at: number) => void,
): Promise<ChaosRecord> {
  const began = Date.now();
  const clock = () => ((Date.now() - began) / 1000).toFixed(1);
  for (const [index, at] of plan.workerKillsAt.entries()) {
    if (!await reach(hooks, at)) return record;
    const reachedAt = clock();
    // A random moment within the step, not the instant the threshold is seen.
    await sleep(Math.floor(random() * 800));
    await pool.waitForReady(2);
    if (hooks.finished()) return record;
    // The first kill aims at the worker in the middle of a page (waiting for one between two pages).
    const busy = index === 0 ? await busyWorker(hooks, pool) : await hooks.activityWorkerPid().catch(() => null);
    const pids = pool.pids();
    // The others fall where chance puts them.
    const victim = index === 0 && busy !== null && pids.includes(busy) ? busy : pids[Math.floor(random() * pids.length)];
    if (victim === busy) record.activitiesInterrupted++;
    record.killProgress.push(hooks.progress());
    record.timeline.push(`${(at * 100).toFixed(0)}% reached ${reachedAt} s, killed ${clock()} s at ${(hooks.progress() * 100).toFixed(0)}%`);
    await pool.kill(victim);
    record.workerKills++;
    next(plan.workerKillsAt[index + 1] ?? plan.serverKillAt);
  }
  if (!await reach(hooks, plan.serverKillAt)) return record;
  record.serverKillProgress = hooks.progress();
  const downAt = Date.now();
  await hooks.killServer();
  // Down for a moment, as a crashed server would be before its supervisor restarts it.
  await sleep(500 + Math.floor(random() * 1500));
  await hooks.restartServer();
  record.serverDowntimeMs = Date.now() - downAt;
  record.serverRestarts++;
  next(Infinity);
  return record;
}

/**
 * Wall time during which at least one request was held back by an injected delay (overlapping delays count
 * once): the harness's own cost, which the slowdown leaves out.
 */
export function heldBackMs(requests: { heldBack?: { from: number; to: number } }[]): number {
  const spans = requests.flatMap((r) => (r.heldBack ? [r.heldBack] : [])).sort((a, b) => a.from - b.from);
  let total = 0;
  let end = -Infinity;
  for (const { from, to } of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}
