import DataLoader from 'dataloader';
import type { Connected, RunCache } from './context';

// Ids of entities known by FQN, looked up many at a time: one search request answers up to 100 names.

/** FQNs asked for within this many milliseconds go out in one request. */
const BATCH_WINDOW_MS = 5;
const BATCH_SIZE = 100;

export interface FoundEntity {
  id: string;
  fullyQualifiedName: string;
}

function batched(load: (fqns: readonly string[]) => Promise<FoundEntity[][]>): DataLoader<string, FoundEntity[]> {
  return new DataLoader(load, { cache: false, maxBatchSize: BATCH_SIZE, batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS) });
}

/** Hits grouped by the FQN asked for, compared without case as the index does. */
async function searchGrouped(conn: Connected, index: string, fqns: readonly string[]): Promise<FoundEntity[][]> {
  const hits = await conn.openMetadata.searchByFqns(index, [...new Set(fqns)]);
  const byLowerFqn = new Map<string, FoundEntity[]>();
  for (const hit of hits) {
    const key = hit.fullyQualifiedName.toLowerCase();
    byLowerFqn.set(key, [...(byLowerFqn.get(key) ?? []), hit]);
  }
  return fqns.map((fqn) => byLowerFqn.get(fqn.toLowerCase()) ?? []);
}

/** Live tables whose FQN equals `fqn` without case (several when only case tells them apart). */
export function tablesNamed(conn: Connected, cache: RunCache, fqn: string): Promise<FoundEntity[]> {
  cache.tableSearch ??= batched((fqns) => searchGrouped(conn, 'table_search_index', fqns));
  return cache.tableSearch.load(fqn);
}

/**
 * The id of a live dashboard written moments ago. The search index may not show it yet, so a name it does
 * not show is read by name.
 */
export function dashboardIdOf(conn: Connected, cache: RunCache, fqn: string): Promise<string | null> {
  cache.dashboardSearch ??= batched(async (fqns) => {
    const grouped = await searchGrouped(conn, 'dashboard_search_index', fqns);
    return Promise.all(grouped.map(async (hits, i) => {
      const exact = hits.find((hit) => hit.fullyQualifiedName === fqns[i]);
      if (exact) return [exact];
      const read = await conn.openMetadata.getDashboard(fqns[i]);
      return read && !read.deleted ? [{ id: read.id, fullyQualifiedName: read.fullyQualifiedName }] : [];
    }));
  });
  return cache.dashboardSearch.load(fqn).then((found) => found[0]?.id ?? null);
}
