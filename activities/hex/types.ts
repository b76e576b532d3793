/** Hex API objects as they are on the wire (camelCase), reduced to what ingestion reads. */
export interface HexProject {
  id: string;
  title: string;
  description: string | null;
  type: 'PROJECT' | 'COMPONENT' | string;
  creator: { email: string } | null;
  owner: { email: string } | null;
  status: { name: string } | null;
  categories: { name: string; description?: string | null }[] | null;
  lastEditedAt: string | null;
  lastPublishedAt: string | null;
  createdAt: string | null;
  archivedAt: string | null;
  trashedAt: string | null;
  analytics?: {
    appViews?: { allTime?: number; lastSevenDays?: number; lastFourteenDays?: number; lastThirtyDays?: number } | null;
    lastViewedAt?: string | null;
  } | null;
}

export interface HexPage<T> {
  values: T[];
  pagination: { after: string | null; before: string | null };
}

/** A cell of a project's draft (GET /v1/cells); contents other than SQL, code and markdown come back null. */
export interface HexCell {
  id: string;
  /** Stable across versions of the project: the cell's durable identity. */
  staticId: string;
  cellType: string;
  label: string | null;
  dataConnectionId: string | null;
  contents: {
    sqlCell?: { source?: string | null; outputDataframe?: string | null } | null;
    codeCell?: { source?: string | null } | null;
    markdownCell?: { source?: string | null } | null;
  } | null;
  projectId: string;
}

/** A warehouse connection (GET /v1/data-connections); `connectionDetails` only for callers allowed to see it. */
export interface HexDataConnection {
  id: string;
  name: string;
  type: string;
  connectionDetails?: Record<string, Record<string, unknown> | undefined> | null;
}
