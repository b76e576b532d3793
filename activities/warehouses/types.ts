import type { Dialect } from '../lineage/dialect';

/** One statement read from a warehouse's query history. */
export interface HistoryRow {
  /** Warehouse-side id of the execution (or of the normalised statement where that is all there is). */
  queryId: string;
  sql: string;
  /** ISO-8601 UTC start time when the warehouse records one. */
  startedAt?: string | null;
  /** Default database/catalog/project in effect when the statement ran. */
  defaultDatabase?: string | null;
  /** Default schema/dataset in effect when the statement ran. */
  defaultSchema?: string | null;
}

/** JSON-serialisable resume point inside a history scan; opaque to callers. */
export type HistoryCursor = Record<string, string | number | boolean | null>;

export interface HistoryWindow {
  /** Inclusive ISO-8601 UTC start. */
  start: string;
  /** Exclusive ISO-8601 UTC end. */
  end: string;
}

export interface HistoryPage {
  rows: HistoryRow[];
  /** Where the next page starts; null when the window is exhausted. */
  next: HistoryCursor | null;
}

/** Reads a warehouse's query history; one implementation per warehouse, one file each. */
export interface QueryHistorySource {
  readonly dialect: Dialect;
  /** Reads at most `pageSize` rows of the window, starting at `cursor` (null = start of window). */
  readPage(window: HistoryWindow, cursor: HistoryCursor | null, pageSize: number): Promise<HistoryPage>;
  close(): Promise<void>;
}
