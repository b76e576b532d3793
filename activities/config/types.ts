import type { ServerBehaviour } from '../openmetadata/serverBehaviour';

/** Non-secret settings of one ingestion, derived from the workflow file; safe to keep in workflow state. */
export interface FilterPattern {
  includes: string[];
  excludes: string[];
}

export interface IngestionPlan {
  serviceName: string;
  /** Hex web origin, e.g. https://app.hex.tech */
  hexHostPort: string;
  tokenType: 'personal' | 'workspace';
  includeTags: boolean;
  includeOwners: boolean;
  /** A write may overwrite user-curated description, displayName and owners (sent as such to 2.0 servers). */
  overrideMetadata: boolean;
  markDeletedDashboards: boolean;
  /** Soft-delete the service's charts the source no longer has, after a complete listing. */
  markDeletedCharts: boolean;
  dashboardFilterPattern: FilterPattern | null;
  /** Any projectFilterPattern object filters out every Hex dashboard, as OpenMetadata does. */
  hasProjectFilterPattern: boolean;
  /** Applies to chart names (cell labels, component titles), as OpenMetadata's chartFilterPattern. */
  chartFilterPattern: FilterPattern | null;
  dbServicePrefixes: string[];
  loggerLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Workspace slug (or org id) used in project URLs; null until learned from Hex. */
  workspace: string | null;
  lookbackDays: number;
  /** Components and chart-like cells become OpenMetadata charts. */
  charts: boolean;
  /** SQL cells become a second lineage source beside warehouse query history. */
  cellLineage: boolean;
  /** Hex app views become OpenMetadata dashboard usage. */
  usage: boolean;
  /**
   * `full` reads every project (and may mark deleted dashboards); `incremental` reads latest edits first and
   * stops at the first page of unchanged projects (deletions wait for a full run).
   */
  listing: 'full' | 'incremental';
  /** How far before the last complete read a run reads history again (late-recorded queries). */
  historyOverlapMinutes: number;
  /** The OpenMetadata server's behaviour, chosen by prepare from its version (absent before then: 1.12). */
  openMetadata?: ServerBehaviour;
}

/** Where the worker reads the configuration from; never carries resolved secrets. */
export type ConfigSource = { configPath: string } | { config: Record<string, unknown> };
