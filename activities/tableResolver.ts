import { remember, type Connected, type RunCache } from './context';
import { tablesNamed } from './entityIds';
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
      // Fully qualified: one batched search answers it, with the same case-insensitive matching as below.
      const hits = await tablesNamed(conn, cache, exact);
      const chosenFqn = hits.some((hit) => hit.fullyQualifiedName === exact) ? exact : choose(hits.map((hit) => hit.fullyQualifiedName), prefix);
      const hit = hits.find((h) => h.fullyQualifiedName === chosenFqn);
      if (hit) return { id: hit.id, type: 'table', fullyQualifiedName: hit.fullyQualifiedName };
      if (hits.length > 0) return null; // several inside the prefix
      // Not in the search index (yet): the entity store has the last word.
      const table = await conn.openMetadata.getTable(exact);
      return table ? { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName } : null;
    }
    // Case-insensitive search, completing names the SQL left partly unqualified.
    const chosen = choose(await conn.openMetadata.searchTableFqns(tableSearchPattern(prefix.service, location)), prefix);
    if (!chosen) return null;
    const table = await conn.openMetadata.getTable(chosen);
    return table ? { id: table.id, type: 'table', fullyQualifiedName: table.fullyQualifiedName } : null;
  });
}

/**
 * The one candidate inside the prefix; with none inside, any candidate (it tells the caller the name lies
 * outside); undefined when there is none or several inside.
 */
function choose(candidates: string[], prefix: ServicePrefix): string | undefined {
  const inPrefix = candidates.filter((fqn) => withinPrefix(fqn, prefix));
  return inPrefix.length === 0 ? candidates[0] : inPrefix.length === 1 ? inPrefix[0] : undefined;
}
