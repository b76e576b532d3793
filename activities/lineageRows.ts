import pLimit from 'p-limit';
import { remember, type Connected, type RunCache } from './context';
import type { Dialect } from './lineage/dialect';
import { extractTables } from './lineage/extractTables';
import { parseHexComment } from './lineage/hexComment';
import { buildFqn } from './openmetadata/fqn';
import { dashboardUpstream, type DashboardUpstream } from './openmetadata/lineage';
import { fqnMatchesLocation, tableLocation, withinPrefix, type ServicePrefix } from './openmetadata/tables';
import type { EntityReference } from './openmetadata/types';
import { resolveTable } from './tableResolver';
import type { LineageCounts } from './types';
import type { HistoryRow } from './warehouses/types';

/** Waiting projects whose dashboards are looked up and written at the same time. */
const PROJECTS_SETTLED_AT_ONCE = 8;
/** Enough of the SQL to recognise the query in OpenMetadata's lineage panel. */
export const MAX_LINEAGE_SQL_CHARS = 4_000;

export function emptyLineageCounts(): LineageCounts {
  return { queriesRead: 0, hexQueries: 0, tablesResolved: 0, tablesUnresolved: 0, projectsUnknown: 0, edgesWritten: 0, edgesExisting: 0, tablesOutsidePrefix: 0 };
}

/**
 * The project's live dashboard and the entities already upstream of it, from one lineage read (a soft-deleted
 * or missing dashboard is a 404 there, hence null).
 */
export function dashboardOf(conn: Connected, cache: RunCache, serviceName: string, projectId: string): Promise<DashboardUpstream | null> {
  return remember(cache.dashboards, projectId, async () => {
    // Created by this run on this worker: its id is known, and only this run's edges (claimed) can feed it.
    const created = cache.createdDashboards.get(projectId);
    if (created) return { dashboard: { id: created, type: 'dashboard' }, upstream: new Set<string>(), upstreamTables: [] };
    const lineage = await conn.openMetadata.getLineageByName('dashboard', buildFqn(serviceName, projectId), 1, 0);
    return lineage ? dashboardUpstream(lineage) : null;
  });
}

/** What one extracted name came to: a table inside the prefix, one outside it, or none. */
type TableOutcome = { table: EntityReference } | { outside: true } | { unresolved: string };

/** A Hex row resolved against its dashboard: the SQL shown on its edges and what each table name came to. */
interface ResolvedRow {
  sql: string;
  tables: TableOutcome[];
}

export interface RowContext {
  conn: Connected;
  cache: RunCache;
  serviceName: string;
  prefix: ServicePrefix;
  dialect: Dialect;
  counts: LineageCounts;
  warn: (item: string, reason: string) => void;
  /** This activity attempt, for the run's edge claims. */
  claimant: string;
}

/**
 * Turns one warehouse's history rows into table -> dashboard edges. A row can wait for its dashboard (while
 * the run is still listing projects); it is then handled exactly as a row read after the listing would be.
 */
export class PrefixLineage {
  private readonly waiting = new Map<string, HistoryRow[]>();

  constructor(private readonly ctx: RowContext) {}

  /** Projects whose rows wait for their dashboard. */
  get waitingProjects(): number {
    return this.waiting.size;
  }

  /**
   * One history row. `known` says whether the project's dashboard can be looked up now; otherwise the row
   * waits (see `settle`). Without `known`, every project is looked up at once.
   */
  async row(row: HistoryRow, known?: (projectId: string) => boolean): Promise<void> {
    const { counts } = this.ctx;
    counts.queriesRead++;
    const hex = parseHexComment(row.sql);
    if (!hex) return;
    counts.hexQueries++;
    if (known && !known(hex.projectId)) {
      const rows = this.waiting.get(hex.projectId) ?? [];
      rows.push(row);
      this.waiting.set(hex.projectId, rows);
      return;
    }
    await this.forProject(hex.projectId, [row]);
  }

  private async forProject(projectId: string, rows: HistoryRow[]): Promise<void> {
    const target = await dashboardOf(this.ctx.conn, this.ctx.cache, this.ctx.serviceName, projectId);
    if (!target) {
      this.ctx.counts.projectsUnknown += rows.length;
      return;
    }
    for (const row of rows) {
      await this.write(target, { sql: row.sql.slice(0, MAX_LINEAGE_SQL_CHARS), tables: await this.resolveAll(row, target) }, projectId);
    }
  }

  /**
   * Writes the waiting rows of projects `ready` accepts; with `final`, every waiting project is looked up and
   * the rows of one without a live dashboard count as unknown.
   */
  async settle(ready: (projectId: string) => boolean, final: boolean): Promise<void> {
    const due = [...this.waiting].filter(([projectId]) => final || ready(projectId));
    for (const [projectId] of due) this.waiting.delete(projectId);
    // Projects side by side (bounded), as rows of a history page are.
    const limit = pLimit(PROJECTS_SETTLED_AT_ONCE);
    await Promise.all(due.map(([projectId, rows]) => limit(() => this.forProject(projectId, rows))));
  }

  private async resolveAll(row: HistoryRow, target: DashboardUpstream): Promise<TableOutcome[]> {
    const { conn, cache, prefix, dialect } = this.ctx;
    const { tables } = extractTables({ sql: row.sql, dialect, defaultDatabase: row.defaultDatabase, defaultSchema: row.defaultSchema });
    const outcomes: TableOutcome[] = [];
    for (const name of tables) {
      // A name that already feeds this dashboard (within the prefix) is that edge: no lookup.
      const location = tableLocation(name, dialect);
      const known = target.upstreamTables.filter((t) => withinPrefix(t.fullyQualifiedName!, prefix)
        && fqnMatchesLocation(t.fullyQualifiedName!, prefix.service, location));
      const table = known.length === 1 ? known[0] : await resolveTable(conn, cache, prefix, name, dialect);
      if (!table) outcomes.push({ unresolved: name });
      else if (!withinPrefix(table.fullyQualifiedName ?? '', prefix)) outcomes.push({ outside: true });
      else outcomes.push({ table });
    }
    return outcomes;
  }

  private async write(target: DashboardUpstream, row: ResolvedRow, projectId: string): Promise<void> {
    const { conn, cache, counts, prefix } = this.ctx;
    for (const outcome of row.tables) {
      if ('unresolved' in outcome) {
        counts.tablesUnresolved++;
        const item = `${prefix.service}:${outcome.unresolved}`;
        if (!cache.unresolvedWarned.has(item)) {
          cache.unresolvedWarned.add(item);
          this.ctx.warn(item, `table not found in OpenMetadata (first seen in project ${projectId})`);
        }
        continue;
      }
      if ('outside' in outcome) {
        counts.tablesOutsidePrefix++;
        continue;
      }
      counts.tablesResolved++;
      const { table } = outcome;
      const { dashboard } = target;
      // Claimed before the write, so rows in flight together write a pair once.
      const claim = cache.claimEdge(table.id, dashboard.id, this.ctx.claimant);
      if (claim === 'taken') continue;
      if (claim === 'earlier' || target.upstream.has(table.id)) {
        // Already in OpenMetadata (from an earlier run or attempt, a SQL cell, or drawn by hand).
        counts.edgesExisting++;
        continue;
      }
      await conn.openMetadata.putLineage(table, dashboard, {
        sqlQuery: row.sql,
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
