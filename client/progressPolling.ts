import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery, type IngestionSummary } from '../workflows/messages';

/**
 * Polls every `intervalMs`. Each poll runs under a signal of its own, dropped once the poll settles: the
 * Temporal client adds an abort listener to the signal of every call and never removes it, so one signal
 * shared by all polls would gather a listener every few seconds for as long as the run lasts. `stop` aborts
 * the poll in flight and waits for it.
 */
export function pollEvery<T>(intervalMs: number, poll: (signal: AbortSignal) => Promise<T>, onValue: (value: T) => void) {
  const inFlight = new Set<AbortController>();
  let pending: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    const controller = new AbortController();
    inFlight.add(controller);
    pending = poll(controller.signal).then(onValue, () => undefined).finally(() => inFlight.delete(controller));
  }, intervalMs);
  return {
    /** Polls started and not settled yet. */
    get active() {
      return inFlight.size;
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      for (const controller of inFlight) controller.abort();
      await pending;
    },
  };
}

/** What the progress line shows: the workflow's own summary, and a wait Hex imposed between attempts. */
export interface Progress {
  summary: IngestionSummary;
  /** When an attempt held back by Hex's Retry-After starts again. */
  hexRetryAfterUntil: Date | null;
}

/** The workflow's progress, and whether a page activity is waiting out a Retry-After from Hex. */
export async function readProgress(handle: WorkflowHandle, signal: AbortSignal, run: <R>(signal: AbortSignal, fn: () => Promise<R>) => Promise<R>): Promise<Progress> {
  const summary = await run(signal, () => handle.query(progressQuery));
  const description = await run(signal, () => handle.describe()).catch(() => null);
  return { summary, hexRetryAfterUntil: description ? retryAfterWaitOf(description.raw.pendingActivities ?? []) : null };
}

interface PendingActivity {
  nextAttemptScheduleTime?: { seconds?: unknown; nanos?: number | null } | null;
  lastFailure?: { message?: string | null; applicationFailureInfo?: { type?: string | null } | null } | null;
}

/** The latest time an activity retried after Hex's Retry-After starts again; null when none waits. */
export function retryAfterWaitOf(pending: PendingActivity[], now = Date.now()): Date | null {
  let until: number | null = null;
  for (const activity of pending) {
    const failure = activity.lastFailure;
    if (failure?.applicationFailureInfo?.type !== 'RateLimited' || !/^Hex /.test(failure.message ?? '')) continue;
    const next = activity.nextAttemptScheduleTime;
    if (!next?.seconds) continue;
    const at = Number(next.seconds) * 1000 + Math.floor((next.nanos ?? 0) / 1e6);
    if (at > now && (until === null || at > until)) until = at;
  }
  return until === null ? null : new Date(until);
}
