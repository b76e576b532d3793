import { Context } from '@temporalio/activity';
import pLimit from 'p-limit';
import { ApplicationFailure } from '@temporalio/common';
import { remember, type Connected, type RunCache } from './context';
import { extractTables } from './lineage/extractTables';
import { parseHexComment } from './lineage/hexComment';
import { buildFqn } from './openmetadata/fqn';
import { fqnMatchesLocation, parsePrefix, tableLocation, withinPrefix } from './openmetadata/tables';
import { resolveTable } from './tableResolver';
import { dashboardUpstream, type DashboardUpstream } from './openmetadata/lineage';
import type { EntityReference } from './openmetadata/types';
import { findWarehouseConnection } from './warehouses/connection';
import { createHistorySource } from './warehouses';
import type { HistoryCursor, HistoryRow, QueryHistorySource } from './warehouses/types';
import type { Dialect } from './lineage/dialect';
import { REPORT_LIMIT, type ItemReport, type LineageCounts, type LineageInput, type LineageResult } from './types';

export const HISTORY_PAGE_SIZE = 500;
/** History rows of a page processed at the same time. */
export const ROW_CONCURRENCY = 8;
/** Enough of the SQL to recognise the query in OpenMetadata's lineage panel. */
export const MAX_LINEAGE_SQL_CHARS = 4_000;

export function emptyLineageCounts(): LineageCounts {
  return { queriesRead: 0, hexQueries: 0, tablesResolved: 0, tablesUnresolved: 0, projectsUnknown: 0, edgesWritten: 0, edgesExisting: 0, tablesOutsidePrefix: 0 };
}

interface ResumePoint {
  cursor: HistoryCursor | null;
  counts: LineageCounts;
}

/**
 * The project's live dashboard and the entities already upstream of it, from one lineage read (a soft-deleted
 * or missing dashboard is a 404 there, hence null).
 */
function dashboardOf(conn: Connected, cache: RunCache, serviceName: string, projectId: string): Promise<DashboardUpstream | null> {
  return remember(cache.dashboards, projectId, async () => {
    // Created by this run on this worker: its id is known, and only this run's edges (claimed) can feed it.
    const created = cache.createdDashboards.get(projectId);
    if (created) return { dashboard: { id: created, type: 'dashboard' }, upstream: new Set<string>(), upstreamTables: [] };
    const lineage = await conn.openMetadata.getLineageByName('dashboard', buildFqn(serviceName, projectId), 1, 0);
    return lineage ? dashboardUpstream(lineage) : null;
  });
}

/**
 * Lineage for one `dbServicePrefixes` entry: pages through that warehouse's query history in the run's time
 * window, keeps the SQL Hex sent, and writes table -> dashboard edges. Each page is a heartbeat resume point,
 * so a retried attempt continues where the last one stopped.
 */
export async function lineageForPrefix(conn: Connected, cache: RunCache, input: LineageInput): Promise<LineageResult> {
  const prefix = parsePrefix(input.prefix);
  const warnings: ItemReport[] = [];
  const warn = (item: string, reason: string) => {
    if (warnings.length < REPORT_LIMIT) warnings.push({ item, reason });
  };
  const resume = Context.current().info.heartbeatDetails as ResumePoint | undefined;
  // Spread over the empty counts: a heartbeat from before a count existed still resumes with every field.
  const counts: LineageCounts = { ...emptyLineageCounts(), ...resume?.counts };
  let cursor = resume?.cursor ?? null;

  const lookup = await findWarehouseConnection(conn.openMetadata, conn.config.file.warehouses, prefix.service);
  if ('problem' in lookup) {
    warn(prefix.service, `no lineage from this warehouse: ${lookup.problem}`);
    return { prefix: input.prefix, dialect: null, counts, warnings };
  }
  let source: QueryHistorySource;
  try {
    source = createHistorySource(lookup.config, conn.config.file.queryHistory?.[prefix.service], conn.log.with({ warehouse: prefix.service }));
  } catch (error) {
    warn(prefix.service, `no lineage from this warehouse: ${(error as Error).message}`);
    return { prefix: input.prefix, dialect: null, counts, warnings };
  }
  try {
    do {
      const page = await source.readPage(input.window, cursor, HISTORY_PAGE_SIZE);
      // Rows of a page are resolved and written side by side (bounded): lookups are cached per run.
      const limit = pLimit(ROW_CONCURRENCY);
      await Promise.all(page.rows.map((row) => limit(() => lineageOfRow(row))));
      cursor = page.next;
      Context.current().heartbeat({ cursor, counts } satisfies ResumePoint);
    } while (cursor);
  } catch (error) {
    if (error instanceof ApplicationFailure && /Configuration|Authentication/.test(error.type ?? '')) {
      warn(prefix.service, `no lineage from this warehouse: ${error.message}`);
      return { prefix: input.prefix, dialect: source.dialect, counts, warnings };
    }
    throw error;
  } finally {
    await source.close().catch(() => undefined);
  }
  return { prefix: input.prefix, dialect: source.dialect, counts, warnings };

  async function lineageOfRow(row: HistoryRow): Promise<void> {
    counts.queriesRead++;
    const hex = parseHexComment(row.sql);
    if (!hex) return;
    counts.hexQueries++;
    const target = await dashboardOf(conn, cache, input.plan.serviceName, hex.projectId);
    if (!target) {
      counts.projectsUnknown++;
      return;
    }
    const { tables } = extractTables({ sql: row.sql, dialect: source.dialect, defaultDatabase: row.defaultDatabase, defaultSchema: row.defaultSchema });
    for (const name of tables) {
      // A name that already feeds this dashboard (within the prefix) is that edge: no lookup, no write.
      const location = tableLocation(name, source.dialect);
      const known = target.upstreamTables.filter((t) => withinPrefix(t.fullyQualifiedName!, prefix)
        && fqnMatchesLocation(t.fullyQualifiedName!, prefix.service, location));
      const table = known.length === 1 ? known[0] : await resolveTable(conn, cache, prefix, name, source.dialect);
      if (!table) {
        counts.tablesUnresolved++;
        const item = `${prefix.service}:${name}`;
        if (!cache.unresolvedWarned.has(item)) {
          cache.unresolvedWarned.add(item);
          warn(item, `table not found in OpenMetadata (first seen in project ${hex.projectId})`);
        }
        continue;
      }
      if (!withinPrefix(table.fullyQualifiedName ?? '', prefix)) {
        counts.tablesOutsidePrefix++;
        continue;
      }
      counts.tablesResolved++;
      const { dashboard } = target;
      // Claimed before the write, so rows in flight together write a pair once.
      if (!cache.claimEdge(table.id, dashboard.id)) continue;
      if (target.upstream.has(table.id)) {
        // Already in OpenMetadata (from an earlier run, or drawn by hand): rewriting it would change nothing.
        counts.edgesExisting++;
        continue;
      }
      await conn.openMetadata.putLineage(table, dashboard, {
        sqlQuery: row.sql.slice(0, MAX_LINEAGE_SQL_CHARS),
        source: 'DashboardLineage',
        description: `Hex query history of ${prefix.service}`,
      }).catch((error) => {
        cache.releaseEdge(table.id, dashboard.id);
        throw error;
      });
      counts.edgesWritten++;
    }
  }
}
