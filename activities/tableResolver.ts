import { remember, type Connected, type RunCache } from './context';
import type { Dialect } from './lineage/dialect';
import { exactTableFqn, tableLocation, tableSearchPattern, withinPrefix, type ServicePrefix } from './openmetadata/tables';
import type { EntityReference } from './openmetadata/types';

/**
 * The OpenMetadata table an extracted name denotes, or null when there is none (or several inside the prefix).
 * A name found only outside the prefix is still returned, so the caller counts it as outside rather than missing.
 */
export async function resolveTable(conn: Connected, cache: RunCache, prefix: ServicePrefix, name: string, dialect: Dialect): Promise<EntityReference | null> {
  // The prefix decides between candidates, so the whole prefix is part of the key.
  const key = JSON.stringify([prefix.service, prefix.database, prefix.schema, dialect, name]);
  return remember(cache.tables, key, async () => {
    const location = tableLocation(name, dialect);
    const exact = exactTableFqn(prefix.service, location);
    if (exact) {
      const table = await conn.openMetadata.getTable(exact);
      if (table) return { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName };
    }
    // Case-insensitive fallback, and completion of names the SQL left partly unqualified.
    const candidates = await conn.openMetadata.searchTableFqns(tableSearchPattern(prefix.service, location));
    const inPrefix = candidates.filter((fqn) => withinPrefix(fqn, prefix));
    // None inside the prefix: whichever candidate it is, it lies outside, so any one of them tells the caller so.
    const chosen = inPrefix.length === 0 ? candidates[0] : inPrefix.length === 1 ? inPrefix[0] : undefined;
    if (!chosen) return null;
    const table = await conn.openMetadata.getTable(chosen);
    return table ? { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName } : null;
  });
}
