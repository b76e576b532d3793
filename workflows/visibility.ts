// What the Temporal UI shows of a run from inside the workflow: a one-line current state, and the search
// attributes a run started without them (from the Web UI, or as a schedule's child) sets on itself.
import { setCurrentDetails, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { hexWaitSignal, type HexWait, type IngestionSummary } from './messages';

const SERVICE = defineSearchAttributeKey('HexmetaService', SearchAttributeType.KEYWORD);
const TRIGGER = defineSearchAttributeKey('HexmetaTrigger', SearchAttributeType.KEYWORD);

/** " · waiting on Hex's Retry-After until 12:03:05 UTC" while a told wait lasts (workflow time); empty after it. */
export function waitText(wait: HexWait | undefined, now: number): string {
  const until = wait ? Date.parse(wait.until) : NaN;
  if (!wait || !Number.isFinite(until) || until <= now) return '';
  const what = wait.reason === 'Retry-After' ? "Hex's Retry-After" : "Hex's rate limit";
  return ` · waiting on ${what} until ${new Date(until).toISOString().slice(11, 19)} UTC`;
}

/** The current details line: phase, pages, dashboards, lineage and failures so far, and a wait on Hex while it lasts. */
export function showState(s: IngestionSummary, prefixes: number): void {
  const wait = waitText(s.waiting, Date.now());
  if (s.waiting && !wait) delete s.waiting;
  setCurrentDetails(
    `${s.phase} · pages ${s.pagesRead} · projects ${s.projectsSeen} · dashboards +${s.dashboardsCreated} ~${s.dashboardsUpdated} =${s.dashboardsUnchanged}`
    + ` · lineage ${s.lineage.length}/${prefixes} · warnings ${s.warningsTotal} · failures ${s.failuresTotal}${wait}`,
  );
}

/** Waits on Hex that the run's activities announce go into the summary and the current details at once. */
export function followHexWaits(s: IngestionSummary, prefixes: () => number): void {
  setHandler(hexWaitSignal, (wait) => {
    if (typeof wait?.until !== 'string' || (wait.reason !== 'Retry-After' && wait.reason !== 'rate limit')) return;
    // Several activities may wait at once: the run shows the wait that ends last.
    if (s.waiting && Date.parse(s.waiting.until) >= Date.parse(wait.until)) return;
    s.waiting = { reason: wait.reason, until: wait.until };
    showState(s, prefixes());
  });
}

/** Whether this run still lacks hexmeta's search attributes (clients set them at start). */
export function lacksSearchAttributes(): boolean {
  return workflowInfo().typedSearchAttributes.get(SERVICE) === undefined;
}

/**
 * Sets HexmetaService and HexmetaTrigger on a run started without them. Only called once the namespace is known
 * to have them: an unknown attribute would fail every workflow task of the run.
 */
export function markRun(serviceName: string): void {
  const info = workflowInfo();
  const scheduled = info.parent?.workflowId.startsWith('hexmeta-scheduled-') === true
    || (info.searchAttributes as Record<string, unknown> | undefined)?.TemporalScheduledById !== undefined;
  const trigger = info.typedSearchAttributes.get(TRIGGER) ?? (scheduled ? 'schedule' : 'ui');
  upsertSearchAttributes([{ key: SERVICE, value: serviceName }, { key: TRIGGER, value: trigger }]);
}
