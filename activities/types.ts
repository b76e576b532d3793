import type { ConfigSource, IngestionPlan } from './config/types';
import type { BehaviourName } from './openmetadata/serverBehaviour';

// Counters and report lists are the run summary's (one pure module the workflow shares).
export {
  REPORT_LIMIT, type CellLineageCounts, type ItemReport, type LineageCounts, type PageCounts,
} from '../workflows/summary';
import type { ItemReport, LineageCounts, PageCounts } from '../workflows/summary';

export interface PrepareInput {
  source: ConfigSource;
}

export interface PrepareResult {
  plan: IngestionPlan;
  openMetadataVersion: string;
  /** Which release line's calls the run uses (see serverBehaviour.ts). */
  openMetadataBehaviour: BehaviourName;
  warnings: ItemReport[];
}

export interface PageInput {
  source: ConfigSource;
  plan: IngestionPlan;
  /** Identifies the run (stable across continue-as-new) for per-run caches. */
  runKey: string;
  /** Hex `after` cursor; null for the first page. */
  cursor: string | null;
  /** The run's UTC date (YYYY-MM-DD), the day usage is reported for. */
  runDate?: string;
}

export interface PageResult {
  next: string | null;
  /** nameDigest of every project this page kept (written or not), concatenated. */
  keptDigests: string;
  counts: PageCounts;
  warnings: ItemReport[];
  failures: ItemReport[];
  /** Every kept project of the page had its stored fingerprint (and at least one was kept). */
  allUnchanged?: boolean;
  /** The kept projects' names, one a line: only for servers with deleteStale (see serverBehaviour.ts). */
  keptNames?: string;
  /** Dashboards these pages created (the workflow hands them to lineage running beside the listing). */
  created?: CreatedDashboard[];
}

/** A dashboard a run created: its project id, and its id when OpenMetadata's answer named it (else null). */
export type CreatedDashboard = [projectId: string, dashboardId: string | null];

/** What the workflow knows of its listing, as lineage running beside it asks (see workflows/messages.ts). */
export interface ListingProgress {
  /** The listing has ended: no further dashboard will be created by this run. */
  done: boolean;
  /** The run continued as new: lineage started beside it ends, the next run reads the prefix after its listing. */
  handedOver: boolean;
  /** Dashboards created, in the order the listing's activities returned them, from the position asked for. */
  created: CreatedDashboard[];
  /** The position to ask from next time. */
  next: number;
  /** The answer was cut short: more dashboards are known from `next` on. */
  more: boolean;
}

export interface PagesInput extends PageInput {
  /** Pages this batch reads at most (default MAX_PAGES_PER_BATCH). */
  maxPages?: number;
}

/** A batch of pages: what they wrote, and the cursor after the last one. */
export interface PagesResult extends PageResult {
  pagesRead: number;
  /** An incremental listing ended at a page of unchanged projects: older ones were not read. */
  stoppedEarly?: boolean;
  /** Reports of the batch; the lists above keep only the first REPORT_LIMIT. */
  warningsTotal: number;
  failuresTotal: number;
  /** Every `after` cursor Hex gave in this batch, in order (the workflow refuses one it has seen before). */
  cursors?: string[];
}

export interface LineageInput {
  source: ConfigSource;
  plan: IngestionPlan;
  runKey: string;
  /** One entry of lineageInformation.dbServicePrefixes. */
  prefix: string;
  /** ISO-8601 UTC bounds of the history read, fixed once per run. */
  window: { start: string; end: string };
  /** Started beside the listing: rows of projects not listed yet wait for their dashboards. */
  whileListing?: boolean;
}

/** A name several tables fit (and so no edge): what a user needs to see why the edge is missing. */
export interface AmbiguousTable {
  table: string;
  /** The database the statement ran in, which bounded the search. */
  database: string | null;
  candidates: string[];
}

export interface LineageResult {
  prefix: string;
  dialect: string | null;
  counts: LineageCounts;
  warnings: ItemReport[];
  /** Names left unresolved because several tables fit them (counted among the unresolved). */
  ambiguous?: AmbiguousTable[];
  /** Rows were left waiting for dashboards this worker did not see created: read the prefix again. */
  incomplete?: boolean;
}

export interface MarkDeletedInput {
  source: ConfigSource;
  plan: IngestionPlan;
  /** Digests of every project kept by the complete listing, concatenated. */
  seenDigests: string;
  /**
   * Names of every project kept, one a line, for deleteStale; null when they outgrew what workflow state
   * keeps (the list-and-diff is used then), absent before the server was known to take deleteStale.
   */
  seenNames?: string | null;
}

export interface MarkDeletedResult {
  deleted: number;
  failures: ItemReport[];
  /** The server marked them deleted in one request (deleteStale). */
  serverSide?: boolean;
}
