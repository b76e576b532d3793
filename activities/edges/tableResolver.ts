import { remember, type Connected, type RunCache } from '../runtime/context';
import { tablesNamed } from '../openmetadata/entityIds';
import type { Dialect } from '../lineage/dialect';
import { exactTableFqn, tableLocation, tableSearchPattern, withinPrefix, type ServicePrefix, type TableLocation } from '../openmetadata/tables';
import type { EntityReference, TableLookup } from '../openmetadata/types';

/**
 * Schema a warehouse searches first for an unqualified name: PostgreSQL's default `search_path` is
 * `"$user", public`, and Redshift's is the same (both document `public` as where unqualified names go).
 */
const DEFAULT_SEARCH_SCHEMA: Partial<Record<Dialect, string>> = { postgres: 'public', redshift: 'public' };

/**
 * The OpenMetadata table an extracted name denotes, or null when there is none (or several inside the prefix).
 * A name found only outside the prefix is still returned, so the caller counts it as outside rather than missing.
 */
export async function resolveTable(conn: Connected, cache: RunCache, prefix: ServicePrefix, name: string, dialect: Dialect, database: string | null = null): Promise<EntityReference | null> {
  const found = await lookUpTable(conn, cache, prefix, name, dialect, database);
  return found && 'table' in found ? found.table : null;
}

/**
 * Like `resolveTable`, and says when a name is ambiguous. `database` is the one the statement ran in (from the
 * history row): a name the SQL leaves without database is looked up there only, never across the service's other
 * databases; a name without schema tries the warehouse's default schema first, then a search bounded to that database.
 */
export async function lookUpTable(conn: Connected, cache: RunCache, prefix: ServicePrefix, name: string, dialect: Dialect, database: string | null = null): Promise<TableLookup> {
  // The prefix decides between candidates, so the whole prefix is part of the key.
  const key = JSON.stringify([prefix.service, prefix.database, prefix.schema, dialect, name, database]);
  return remember(cache.tables, key, async () => {
    const location = tableLocation(name, dialect);
    if (location.database === null && database && dialect !== 'mysql' && dialect !== 'clickhouse') location.database = database;
    const searchSchema = DEFAULT_SEARCH_SCHEMA[dialect];
    if (location.database !== null && location.schema === null && searchSchema) {
      const onPath = await exactLookup(conn, cache, prefix, exactTableFqn(prefix.service, { ...location, schema: searchSchema })!);
      if (onPath) return onPath;
    }
    const exact = exactTableFqn(prefix.service, location);
    if (exact) return exactLookup(conn, cache, prefix, exact);
    // Case-insensitive search, completing names the SQL left partly unqualified.
    return searchLookup(conn, prefix, location);
  });
}

/** Fully qualified: one batched search answers it, with the same case-insensitive matching as the search. */
async function exactLookup(conn: Connected, cache: RunCache, prefix: ServicePrefix, exact: string): Promise<TableLookup> {
  const hits = await tablesNamed(conn, cache, exact);
  const same = hits.find((hit) => hit.fullyQualifiedName === exact);
  if (same) return { table: { id: same.id, type: 'table', fullyQualifiedName: same.fullyQualifiedName } };
  const chosen = choose(hits.map((hit) => hit.fullyQualifiedName), prefix);
  if (chosen && 'ambiguous' in chosen) return chosen;
  const hit = chosen && hits.find((h) => h.fullyQualifiedName === chosen.fqn);
  if (hit) return { table: { id: hit.id, type: 'table', fullyQualifiedName: hit.fullyQualifiedName } };
  // Not in the search index (yet): the entity store has the last word.
  const table = await conn.openMetadata.getTable(exact);
  return table ? { table: { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName } } : null;
}

async function searchLookup(conn: Connected, prefix: ServicePrefix, location: TableLocation): Promise<TableLookup> {
  const chosen = choose(await conn.openMetadata.searchTableFqns(tableSearchPattern(prefix.service, location)), prefix);
  if (!chosen || 'ambiguous' in chosen) return chosen;
  const table = await conn.openMetadata.getTable(chosen.fqn);
  return table ? { table: { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName } } : null;
}

/**
 * The one candidate inside the prefix; with none inside, any candidate (it tells the caller the name lies
 * outside); the candidates when several are inside; null when there is none.
 */
function choose(candidates: string[], prefix: ServicePrefix): { fqn: string } | { ambiguous: string[] } | null {
  const inPrefix = candidates.filter((fqn) => withinPrefix(fqn, prefix));
  if (inPrefix.length > 1) return { ambiguous: [...new Set(inPrefix)].sort() };
  const fqn = inPrefix[0] ?? candidates[0];
  return fqn ? { fqn } : null;
}
