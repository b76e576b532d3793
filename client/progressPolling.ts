import type { Client, WorkflowHandle } from '@temporalio/client';
import { progressQuery, type IngestionSummary } from '../workflows/messages';
import { inFlightOf, type InFlight, type PendingActivityLike } from './progressView';

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
  /** What activities still running have done so far (their last heartbeat). */
  inFlight: InFlight;
}

/** Events of a run whose first workflow task has not ended yet: started, task scheduled, task started. */
const EVENTS_BEFORE_FIRST_TASK_ENDS = 3;

/**
 * The workflow's progress, the work in flight, and whether a page activity is waiting out a Retry-After from
 * Hex. Null until the run's first workflow task has ended: a query before that has no handler to answer it.
 */
export async function readProgress(handle: WorkflowHandle, signal: AbortSignal, run: <R>(signal: AbortSignal, fn: () => Promise<R>) => Promise<R>): Promise<Progress | null> {
  const before = await run(signal, () => handle.describe()).catch(() => null);
  if (!before || before.historyLength <= EVENTS_BEFORE_FIRST_TASK_ENDS) return null;
  const summary = await run(signal, () => handle.query(progressQuery));
  // Described after the query: a batch ending in between is missed once rather than counted twice.
  const description = await run(signal, () => handle.describe()).catch(() => before);
  const pending = description.raw.pendingActivities ?? [];
  const converter = handle.client.options.loadedDataConverter.payloadConverter;
  return {
    summary,
    hexRetryAfterUntil: retryAfterWaitOf(pending),
    inFlight: inFlightOf(pending as PendingActivityLike[], (payload) => converter.fromPayload(payload as never)),
  };
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

/**
 * Projects the service's last completed run saw: the listing's expected length, for the progress line's ETA.
 * Null when Temporal keeps no such run (or cannot say).
 */
export async function lastCompletedProjects(client: Client, workflowId: string): Promise<number | null> {
  if (/['\\]/.test(workflowId)) return null;
  try {
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'` })) {
      const summary = await client.workflow.getHandle(workflowId, run.runId).result() as Partial<IngestionSummary> | undefined;
      const seen = summary?.projectsSeen;
      return typeof seen === 'number' && seen > 0 ? seen : null;
    }
  } catch {
    // The ETA is a nicety: without it the line shows the rate alone.
  }
  return null;
}
