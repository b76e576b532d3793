// Shapes of the Hex API objects the local Hex stand-in serves and its fixtures build.

export type HexAccess = 'NONE' | 'APP_ONLY' | 'CAN_VIEW' | 'CAN_EDIT' | 'FULL_ACCESS';
export interface HexSharing {
  users: { user: { email: string }; access: HexAccess }[];
  collections: { collection: { name: string }; access: HexAccess }[];
  groups: { group: { name: string }; access: HexAccess }[];
  workspace: { access: HexAccess };
  publicWeb: { access: HexAccess };
  support: { access: HexAccess };
}
export interface HexSchedule {
  cadence: 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'CUSTOM';
  enabled: boolean;
  hourly: { minute: number; timezone: string } | null;
  daily: { hour: number; minute: number; timezone: string } | null;
  weekly: { dayOfWeek: string; hour: number; minute: number; timezone: string } | null;
  monthly: { day: number; hour: number; minute: number; timezone: string } | null;
  custom: { cron: string; timezone: string } | null;
}
/** The camelCase Project object of the Hex API; nullable fields are null, never missing. */
export interface HexProject {
  id: string;
  title: string;
  description: string | null;
  type: 'PROJECT' | 'COMPONENT';
  creator: { email: string };
  owner: { email: string };
  status: { name: string } | null;
  categories: { name: string; description: string | null }[];
  reviews: { required: boolean };
  analytics: {
    appViews: { allTime: number; lastSevenDays: number; lastFourteenDays: number; lastThirtyDays: number };
    lastViewedAt: string | null;
    publishedResultsUpdatedAt: string | null;
  };
  lastEditedAt: string;
  lastPublishedAt: string | null;
  createdAt: string;
  archivedAt: string | null;
  trashedAt: string | null;
  schedules: HexSchedule[];
  /** Served only when the caller asks with includeSharing=true. */
  sharing?: HexSharing;
}
export interface HexDataConnection {
  id: string;
  name: string;
  type: string;
  description?: string | null;
  /** Keyed by type, e.g. `{ postgres: { hostname, port, database, username } }`; never secrets. */
  connectionDetails: Record<string, Record<string, unknown>> | null;
}

export interface HexCell {
  id: string;
  staticId: string;
  cellType: string;
  label: string | null;
  dataConnectionId: string | null;
  contents: {
    codeCell: { source: string } | null;
    sqlCell: { source: string; outputDataframe: string | null } | null;
    markdownCell: { source: string } | null;
  };
  projectId: string;
}

export interface HexTokenInfo {
  kind: 'personal' | 'workspace';
  email?: string;
  /** A workspace token granted without Cells → Read gets 403 from the cell routes. */
  cellsScope?: boolean;
}
