// What a run reports: each part's counters, the bounded lists of warnings and failures, and the summary they
// add up to. Pure and without imports (types apart), so the workflow and the activities share this one copy:
// an activity fills a part's counters and lists, the workflow adds them into the summary with the same rules.

/** Items a warnings or failures list keeps; the totals count every one. */
export const REPORT_LIMIT = 100;

/** One project (or warehouse, table...) that produced a warning or failure; bounded lists of these. */
export interface ItemReport {
  item: string;
  reason: string;
}

/** Lineage found in SQL cells (the second source beside warehouse history). */
export interface CellLineageCounts {
  cellsRead: number;
  /** SQL cells bound to a warehouse connection. */
  sqlCells: number;
  cellTablesResolved: number;
  cellTablesUnresolved: number;
  cellEdgesWritten: number;
}

/** The listing's counters: projects seen and what became of their dashboards (cell lineage included). */
export interface PageCounts extends CellLineageCounts {
  projectsSeen: number;
  projectsFiltered: number;
  dashboardsCreated: number;
  dashboardsUpdated: number;
  dashboardsUnchanged: number;
  ownersResolved: number;
  ownersUnresolved: number;
  tagsAttached: number;
  /** Charts written: chart-like cells and components. */
  chartsWritten: number;
  componentsSeen: number;
  /** Dashboards whose day of app views was reported to OpenMetadata. */
  usageReported: number;
}

/** One lineage prefix's counters (query history of one warehouse). */
export interface LineageCounts {
  queriesRead: number;
  hexQueries: number;
  tablesResolved: number;
  tablesUnresolved: number;
  tablesOutsidePrefix: number;
  /** Hex queries whose project has no dashboard in this service (filtered, deleted, other workspace). */
  projectsUnknown: number;
  edgesWritten: number;
  /** Table -> dashboard pairs found that OpenMetadata already had, so not written again. */
  edgesExisting: number;
}

export function emptyPageCounts(): PageCounts {
  return {
    projectsSeen: 0, projectsFiltered: 0, dashboardsCreated: 0, dashboardsUpdated: 0, dashboardsUnchanged: 0,
    ownersResolved: 0, ownersUnresolved: 0, tagsAttached: 0, chartsWritten: 0, componentsSeen: 0, usageReported: 0,
    cellsRead: 0, sqlCells: 0, cellTablesResolved: 0, cellTablesUnresolved: 0, cellEdgesWritten: 0,
  };
}

export function emptyLineageCounts(): LineageCounts {
  return { queriesRead: 0, hexQueries: 0, tablesResolved: 0, tablesUnresolved: 0, projectsUnknown: 0, edgesWritten: 0, edgesExisting: 0, tablesOutsidePrefix: 0 };
}

/**
 * Adds counters into `into`, key by key. `?? 0`: a summary carried over continue-as-new from an older version
 * may lack newer counters.
 */
export function addCounts<T extends object>(into: T, more: { [K in keyof T]?: number }): void {
  const target = into as Record<string, number>;
  for (const [key, value] of Object.entries(more) as [string, number | undefined][]) target[key] = (target[key] ?? 0) + (value ?? 0);
}

/** Keeps the first REPORT_LIMIT of `more` in `list`; returns how many there were, for the total. */
export function addReports(list: ItemReport[], more: ItemReport[]): number {
  for (const item of more) if (list.length < REPORT_LIMIT) list.push(item);
  return more.length;
}

/** One report, kept while the list has room. */
export function addReport(list: ItemReport[], item: string, reason: string): void {
  if (list.length < REPORT_LIMIT) list.push({ item, reason });
}

/** The innermost message of an error and its causes (a Temporal failure wraps the activity's own). */
export function rootMessage(error: unknown): string {
  let current: any = error;
  let message = current?.message ?? String(error);
  while (current?.cause) {
    current = current.cause;
    if (current.message) message = current.message;
  }
  return message;
}
