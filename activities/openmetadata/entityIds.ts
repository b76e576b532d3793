import DataLoader from 'dataloader';
import type { Connected, RunCache } from '../runtime/context';
import type { EntityReference, FoundEntity } from './types';

// Ids of entities known by FQN, looked up many at a time: one search request answers up to 100 names.

/** FQNs asked for within this many milliseconds go out in one request. */
const BATCH_WINDOW_MS = 5;
const BATCH_SIZE = 100;

/** Keys asked for together (within the window, up to the batch size) go to `load` at once; nothing is cached here. */
function batched<V>(load: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  return new DataLoader(load, { cache: false, maxBatchSize: BATCH_SIZE, batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS) });
}

/** Hits grouped by the FQN asked for, compared without case as the index does. */
async function searchGrouped(conn: Connected, index: string, fqns: readonly string[]): Promise<FoundEntity[][]> {
  const hits = await conn.openMetadata.searchByTerms(index, 'fullyQualifiedName', [...new Set(fqns)], ['id', 'fullyQualifiedName']);
  const byLowerFqn = new Map<string, FoundEntity[]>();
  for (const { id, fullyQualifiedName } of hits) {
    if (typeof fullyQualifiedName !== 'string') continue;
    const hit = { id: id as string, fullyQualifiedName };
    const key = fullyQualifiedName.toLowerCase();
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

/** Users, then teams, whose e-mail is exactly one of `emails`: two searches for up to 100 e-mails. */
async function ownersByEmail(conn: Connected, emails: readonly string[]): Promise<(EntityReference | null)[]> {
  const found = new Map<string, EntityReference>();
  for (const [index, type] of [['user_search_index', 'user'], ['team_search_index', 'team']] as const) {
    const missing = [...new Set(emails.filter((email) => !found.has(email)))];
    if (missing.length === 0) break;
    const hits = await conn.openMetadata.searchByTerms(index, 'email.keyword', missing, ['id', 'name', 'displayName', 'email']);
    for (const hit of hits) {
      const email = hit.email;
      if (typeof email !== 'string' || found.has(email)) continue;
      const owner: EntityReference = { id: hit.id as string, type };
      if (typeof hit.name === 'string') owner.name = hit.name;
      if (typeof hit.displayName === 'string') owner.displayName = hit.displayName;
      found.set(email, owner);
    }
  }
  return emails.map((email) => found.get(email) ?? null);
}

/** The first user (then team) whose e-mail is exactly this one, as an owner reference. */
export function ownerByEmail(conn: Connected, cache: RunCache, email: string): Promise<EntityReference | null> {
  cache.ownerSearch ??= batched((emails) => ownersByEmail(conn, emails));
  return cache.ownerSearch.load(email);
}
