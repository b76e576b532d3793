import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Connected, RunCache } from './runtime/context';
import { ingestProjectPage } from './ingestProjectPage';
import { addCounts, addReports, emptyPageCounts } from '../workflows/summary';
import type { PagesInput, PagesResult } from './types';

/** Pages one activity reads at most: the workflow's history grows per activity, not per page. */
export const MAX_PAGES_PER_BATCH = 10;
/** A batch stops starting pages after this long, so the workflow's progress stays fresh at any rate limit. */
export const BATCH_TIME_BUDGET_MS = 10_000;
const KEEPALIVE_MS = 5_000;
/** How long a cancelled batch (worker shutting down, Ctrl-C) still waits for its page in flight. */
export const PAGE_HAND_BACK_MS = 1_500;

/**
 * The page, or null once `signal` has been aborted for `graceMs` without it ending: a page stuck behind a
 * Retry-After must not hold a worker's shutdown. The page's cursor is still the batch's `next`, so the next
 * attempt reads it again (writes are idempotent).
 */
async function pageOrHandBack<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T | null> {
  work.catch(() => undefined); // its failure after being handed back is nobody's
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => undefined as void;
  const handBack = new Promise<null>((resolve) => {
    onAbort = () => { timer = setTimeout(() => resolve(null), graceMs); };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, handBack]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function emptyBatch(cursor: string | null): PagesResult {
  return { next: cursor, pagesRead: 0, keptDigests: '', counts: emptyPageCounts(), warnings: [], failures: [], warningsTotal: 0, failuresTotal: 0, cursors: [], created: [] };
}

/**
 * A cursor this batch was given or has followed already: Hex's listing would go round for ever. Not retried:
 * the same cursor would come back.
 */
function refuseRepeatedCursor(input: PagesInput, batch: PagesResult, next: string): void {
  if (next !== input.cursor && !batch.cursors!.includes(next)) return;
  throw ApplicationFailure.create({
    type: 'ListingLoop',
    nonRetryable: true,
    message: `Hex's project listing gave a page cursor it had given before (after ${batch.pagesRead} pages of this batch): `
      + 'the listing would never end, so it stops here and nothing is marked deleted',
  });
}

/**
 * Several pages of projects in one activity. After each page the batch so far is the heartbeat, so a retried
 * attempt (worker killed, timeout) resumes after the last finished page instead of reading it again.
 */
export async function ingestProjectPages(conn: Connected, cache: RunCache, input: PagesInput): Promise<PagesResult> {
  const context = Context.current();
  const resumed = context.info.heartbeatDetails as PagesResult | undefined;
  const batch: PagesResult = resumed ?? emptyBatch(input.cursor);
  batch.cursors ??= [];
  batch.created ??= [];
  // Keep the heartbeat alive between pages (rate-limit waits) without dropping the resume point.
  const keepalive = setInterval(() => context.heartbeat(batch), KEEPALIVE_MS);
  const started = Date.now();
  const maxPages = input.maxPages ?? MAX_PAGES_PER_BATCH;
  try {
    do {
      const page = await pageOrHandBack(ingestProjectPage(conn, cache, { ...input, cursor: batch.next }), context.cancellationSignal, PAGE_HAND_BACK_MS);
      if (page === null) {
        // Without a finished page, the batch has nothing to hand back: a retried attempt reads from its cursor.
        if (batch.pagesRead === 0) throw ApplicationFailure.retryable('cancelled before its first page ended (worker shutting down)', 'BatchHandedBack');
        break;
      }
      if (page.next !== null) {
        refuseRepeatedCursor(input, batch, page.next);
        batch.cursors!.push(page.next);
      }
      batch.next = page.next;
      batch.pagesRead++;
      batch.keptDigests += page.keptDigests;
      if (page.keptNames !== undefined) batch.keptNames = (batch.keptNames ?? '') + page.keptNames;
      for (const dashboard of page.created ?? []) batch.created!.push(dashboard);
      addCounts(batch.counts, page.counts);
      batch.warningsTotal += addReports(batch.warnings, page.warnings);
      batch.failuresTotal += addReports(batch.failures, page.failures);
      // Projects come latest edit first: behind a page of unchanged ones, every project is older and unchanged.
      if (input.plan.listing === 'incremental' && page.allUnchanged && batch.next !== null) {
        batch.next = null;
        batch.stoppedEarly = true;
      }
      context.heartbeat(batch);
      // One INFO line a page of 100 projects: quiet enough for a 10k-project run.
      conn.log.info('page ingested', { ...page.counts, warnings: page.warnings.length, failures: page.failures.length, more: page.next !== null });
      // A worker shutting down (or a cancelled run) ends the batch after the page in flight; the rest is
      // the next activity's, on whichever worker takes it.
    } while (batch.next !== null && batch.pagesRead < maxPages && Date.now() - started < BATCH_TIME_BUDGET_MS
      && !context.cancellationSignal.aborted);
  } finally {
    clearInterval(keepalive);
  }
  context.heartbeat(batch);
  return batch;
}
