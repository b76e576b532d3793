/** OpenMetadata objects hexmeta sends or reads (request bodies follow spec/api/...). */
export interface EntityReference {
  id: string;
  type: string;
  name?: string;
  fullyQualifiedName?: string;
  displayName?: string;
}

/** What a table name came to: one table, several equally good candidates, or nothing. */
export type TableLookup = { table: EntityReference } | { ambiguous: string[] } | null;

/** An entity found by its fully qualified name in a search index. */
export interface FoundEntity {
  id: string;
  fullyQualifiedName: string;
}

export interface TagLabel {
  tagFQN: string;
  source: 'Classification';
  labelType: 'Automated';
  state: 'Suggested';
}

export interface CreateDashboard {
  name: string;
  service: string;
  displayName?: string;
  description?: string;
  sourceUrl?: string;
  dashboardType?: 'Dashboard' | 'Report';
  tags?: TagLabel[];
  owners?: EntityReference[];
  /** FQNs of charts written before the dashboard. */
  charts?: string[];
  sourceHash?: string;
}

export type ChartType = 'Line' | 'Table' | 'Bar' | 'Area' | 'Pie' | 'Histogram' | 'Scatter' | 'Text' | 'BoxPlot'
  | 'SanKey' | 'Gauge' | 'Map' | 'Graph' | 'Heatmap' | 'Timeline' | 'Other';

/** spec/api/data/createChart.json */
export interface CreateChart {
  name: string;
  service: string;
  displayName?: string;
  description?: string;
  chartType: ChartType;
  sourceUrl?: string;
  tags?: TagLabel[];
  owners?: EntityReference[];
  sourceHash?: string;
}

/** spec/type/usageRequest.json: views (here) on one day. */
export interface UsageRequest {
  date: string;
  count: number;
}

export interface UsageSummary {
  date?: string;
  dailyStats?: { count: number };
}

export interface DashboardEntity extends EntityReference {
  fullyQualifiedName: string;
  deleted?: boolean;
  sourceHash?: string;
  usageSummary?: UsageSummary | null;
  /** With `fields=charts`: the dashboard's charts. */
  charts?: EntityReference[];
}

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** spec/type/bulkOperationResult.json: per-request outcomes of a bulk write. */
export interface BulkResponse {
  /** What the server names the request by: the request itself, its FQN, or an entity reference. */
  request?: unknown;
  message?: string;
  status?: number;
}

export interface BulkOperationResult {
  status?: string;
  numberOfRowsProcessed?: number;
  numberOfRowsPassed?: number;
  numberOfRowsFailed?: number;
  successRequest?: BulkResponse[] | null;
  failedRequest?: BulkResponse[] | null;
}
