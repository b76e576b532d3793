// What the Temporal UI shows of a run from inside the workflow: a one-line current state, and the search
// attributes a run started without them (from the Web UI, or as a schedule's child) sets on itself.
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { IngestionSummary } from './messages';

const SERVICE = defineSearchAttributeKey('HexmetaService', SearchAttributeType.KEYWORD);
const TRIGGER = defineSearchAttributeKey('HexmetaTrigger', SearchAttributeType.KEYWORD);

/** The current details line: phase, pages, dashboards, lineage and failures so far. */
export function showState(s: IngestionSummary, prefixes: number): void {
  setCurrentDetails(
    `${s.phase} · pages ${s.pagesRead} · projects ${s.projectsSeen} · dashboards +${s.dashboardsCreated} ~${s.dashboardsUpdated} =${s.dashboardsUnchanged}`
    + ` · lineage ${s.lineage.length}/${prefixes} · warnings ${s.warningsTotal} · failures ${s.failuresTotal}`,
  );
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
