import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { IngestionPlan, ConfigSource } from '../activities/config/types';
import type { ItemReport, LineageResult, ListingProgress, PageCounts } from '../activities/types';
import type { BehaviourName } from '../activities/openmetadata/serverBehaviour';
import type { PipelineRun } from '../activities/pipelineStatus/types';
import type { OutcomeSettings, RunOutcome } from './outcomeTypes';

export type Phase = 'preparing' | 'dashboards' | 'lineage' | 'finishing' | 'done';

/** What a run has done so far; returned at the end and answered by the `progress` query meanwhile. */
export interface IngestionSummary extends PageCounts {
  serviceName: string | null;
  phase: Phase;
  pagesRead: number;
  /** Runs of this workflow chain (continue-as-new). */
  runs: number;
  openMetadataVersion: string | null;
  /** Which release line's calls the run used where 1.12 and 2.0 differ; absent in older runs. */
  openMetadataBehaviour?: BehaviourName;
  warnings: ItemReport[];
  failures: ItemReport[];
  warningsTotal: number;
  failuresTotal: number;
  /** One entry per lineageInformation.dbServicePrefixes entry, in order, once its step has ended. */
  lineage: LineageResult[];
  /** An incremental listing ended at a page of unchanged projects (so no dashboard was marked deleted). */
  listingStoppedEarly: boolean;
  /**
   * Per lineage prefix, the end of the query-history window read completely (this run's, or an earlier one's
   * for a prefix that failed now); the next run starts there, less an overlap for late history.
   */
  historyReadUntil: Record<string, string>;
  /** Dashboards soft-deleted because their project is gone, archived or filtered out. */
  dashboardsMarkedDeleted: number;
  /** Charts soft-deleted because no live dashboard shows them and no kept component is theirs (markDeletedCharts). */
  chartsMarkedDeleted?: number;
  /** How the run ended by OpenMetadata's rule (workflowConfig.successThreshold, raiseOnError); absent in older runs. */
  outcome?: RunOutcome;
  /** The latest wait on Hex an activity of this run announced (hexWaitSignal); shown until it has passed. */
  waiting?: HexWait;
}

/** A wait on Hex: its own Retry-After, or hexmeta's pacing under Hex's per-minute rate limit. */
export interface HexWait {
  reason: 'Retry-After' | 'rate limit';
  /** ISO time the wait ends. */
  until: string;
}

/** Workflow input: where to read the configuration, plus state carried over continue-as-new. */
export interface IngestionInput {
  source: ConfigSource;
  /** `historyReadUntil` of the service's last completed run (clients and schedules pass it on). */
  historyReadUntil?: Record<string, string>;
  resume?: {
    plan: IngestionPlan; cursor: string | null; summary: IngestionSummary; runKey: string; window: { start: string; end: string }; seenDigests: string;
    /** Kept project names for deleteStale (see seenNames.ts); absent without a server that takes it. */
    seenNames?: string | null;
    /** Digests of every page cursor Hex gave so far (see listingGuard.ts); absent in runs resumed by older versions. */
    seenCursors?: string;
    /** The OpenMetadata run being reported to (see runReport.ts); absent in runs resumed by older versions. */
    report?: RunReportState;
  };
}

export const progressQuery = defineQuery<IngestionSummary>('progress');

/** Sent by an activity of the run before it waits a while on Hex, so the run's current details can say so. */
export const hexWaitSignal = defineSignal<[HexWait]>('hexWait');

/**
 * Lineage activities running beside the listing ask this for the dashboards created since `from` and whether
 * the listing has ended: the run's state lives in the workflow, so every worker sees the same.
 */
export const listingProgressQuery = defineQuery<ListingProgress, [from: number]>('listingProgress');

/** What the reporter carries over continue-as-new. */
export interface RunReportState {
  run: PipelineRun | null;
  settings: OutcomeSettings;
  updateIntervalMs: number;
  lastWriteAt: number;
  warned: boolean;
  /** A failed live-progress update (2.0) has been said, once; later ones are not. */
  progressWarned?: boolean;
}
