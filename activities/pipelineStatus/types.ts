import type { ConfigSource } from '../config/types';
import type { OutcomeSettings } from '../../workflows/outcomeTypes';
import type { ItemReport } from '../types';
import type { BehaviourName } from '../openmetadata/serverBehaviour';

/** The OpenMetadata run a Temporal run reports to (kept in workflow state across continue-as-new). */
export interface PipelineRun {
  /** The pipeline's FQN as OpenMetadata stores it. */
  fqn: string;
  runId: string;
  /** Epoch ms of the run's start (workflow time). */
  startDate: number;
}

export interface BeginPipelineRunInput {
  source: ConfigSource;
  /** Stable across retries, resumes and continue-as-new: the OpenMetadata run id is derived from it. */
  runKey: string;
  /** Workflow time of the start. */
  startDate: number;
  /** The release line's calls to use (the plan's); absent in runs begun before versions were told apart: 1.12. */
  behaviour?: BehaviourName;
}

export interface BeginPipelineRunResult {
  settings: OutcomeSettings;
  /** Null without `ingestionPipelineFQN`, or when the pipeline could not be read or created (see warning). */
  run: PipelineRun | null;
  /** Least time between two `running` updates (HEXMETA_PIPELINE_STATUS_INTERVAL_MS, default 30 s). */
  updateIntervalMs: number;
  warning: ItemReport | null;
  /** 2.0: why the first live-progress update was not taken (the status was still written). */
  progressFailure?: string;
}

export type PipelineState = 'running' | 'success' | 'partialSuccess' | 'failed' | 'stopped';

/** The counts of a run a status reports (a slimmed summary: no warning list, a bounded failure sample). */
export interface StatusSnapshot {
  projectsSeen: number;
  projectsFiltered: number;
  records: number;
  updatedRecords: number;
  warningsTotal: number;
  failuresTotal: number;
  failures: ItemReport[];
  /** The listing has ended: the number of projects is known. */
  listingDone: boolean;
  lineage: { prefixes: number; done: number; records: number; warnings: number; filtered: number };
  /** Why the run failed or stopped, when it did. */
  reason?: string;
}

export interface ReportStatusInput {
  source: ConfigSource;
  run: PipelineRun;
  state: PipelineState;
  snapshot: StatusSnapshot;
  /** Workflow time of this report (its `timestamp`, and `endDate` when the state is final). */
  at: number;
  behaviour?: BehaviourName;
}

export interface ReportStatusResult {
  written: boolean;
  /** Why not, when not written. */
  reason?: string;
  /** 2.0: why the live-progress update beside the status was not taken (the status was still written). */
  progressFailure?: string;
}
