// How a run ends, by OpenMetadata's own rule (pure: used by the workflow, the status writer and the CLI).
import type { IngestionSummary } from './messages';

import type { EndState, OutcomeSettings, RunOutcome } from './outcomeTypes';

export type { EndState, OutcomeSettings, RunOutcome } from './outcomeTypes';

export const DEFAULT_OUTCOME_SETTINGS: OutcomeSettings = { successThreshold: 90, raiseOnError: true };

/** Items the dashboards step handled: written as new or unchanged (`records`) and updated (`updatedRecords`). */
export function dashboardRecords(s: IngestionSummary): { records: number; updatedRecords: number } {
  return { records: s.dashboardsCreated + s.dashboardsUnchanged + (s.chartsWritten ?? 0), updatedRecords: s.dashboardsUpdated };
}

/**
 * OpenMetadata's success rate of a step: records and updated records over those plus failures, at least one
 * record counted (so a step with nothing to do succeeds).
 */
export function successRate(succeeded: number, failures: number): number {
  const ok = Math.max(succeeded, 1);
  return Math.round((ok * 100 * 100) / (ok + failures)) / 100;
}

/** success with no failure; partialSuccess at or above the threshold; failed below it. */
export function outcomeOf(s: IngestionSummary, settings: OutcomeSettings): RunOutcome {
  const { records, updatedRecords } = dashboardRecords(s);
  const rate = s.failuresTotal > 0 ? successRate(records + updatedRecords, s.failuresTotal) : 100;
  const state: EndState = s.failuresTotal === 0 ? 'success' : rate >= settings.successThreshold ? 'partialSuccess' : 'failed';
  return { state, successRate: rate, successThreshold: settings.successThreshold, raiseOnError: settings.raiseOnError };
}
