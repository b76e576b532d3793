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
