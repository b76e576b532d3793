// The shapes of a run's outcome, with no imports: message types, the workflow and activities all share them.

export type EndState = 'success' | 'partialSuccess' | 'failed';

/** `workflowConfig.successThreshold` (percent, default 90) and `raiseOnError` (default true). */
export interface OutcomeSettings {
  successThreshold: number;
  raiseOnError: boolean;
}

export interface RunOutcome extends OutcomeSettings {
  state: EndState;
  /** Percent of items written without failure, two decimals. */
  successRate: number;
}
