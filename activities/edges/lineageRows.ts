import pLimit from 'p-limit';
import { remember, type Connected, type RunCache } from '../runtime/context';
import type { Dialect } from '../lineage/dialect';
import { extractTables } from '../lineage/extractTables';
import { parseHexComment } from '../lineage/hexComment';
import { buildFqn } from '../openmetadata/fqn';
import { dashboardUpstream, type DashboardUpstream } from '../openmetadata/lineage';
import { fqnMatchesLocation, tableLocation, withinPrefix, type ServicePrefix } from '../openmetadata/tables';
import type { EntityReference } from '../openmetadata/types';
import { dashboardIdOf } from '../openmetadata/entityIds';
import { lookUpTable } from './tableResolver';
import { addRow, newNames, type NamedTable, type NamedTables, type WaitingProject } from './waitingRows';
import type { AmbiguousTable } from '../types';
import { emptyLineageCounts, REPORT_LIMIT, type LineageCounts } from '../../workflows/summary';
import type { HistoryRow } from '../warehouses/types';

/** Projects whose edges are written at the same time. */
const PROJECTS_AT_ONCE = 8;
/** Enough of the SQL to recognise the query in OpenMetadata's lineage panel. */
export const MAX_LINEAGE_SQL_CHARS = 4_000;
/**
 * History rows longer than this are cut before anything parses them (extraction reads at most 200,000
 * characters anyway); the last line is still read for Hex's trailing comment.
 */
export const MAX_HISTORY_SQL_CHARS = 1_000_000;
const MAX_TRAILING_LINE_CHARS = 65_536;

export { emptyLineageCounts };

/**
 * The project's live dashboard and the entities already upstream of it, from one lineage read (a soft-deleted
 * or missing dashboard is a 404 there, hence null).
 */
export async function dashboardOf(
  conn: Connected, cache: RunCache, serviceName: string, projectId: string, createdByRun?: CreatedLookup,
): Promise<DashboardUpstream | null> {
  // Created by this run (as the workflow says, on any worker): only this run's edges (claimed) can feed it,
  // so there is nothing to read, and nothing per dashboard to keep beyond its id.
  const known = createdByRun?.(projectId);
  if (known !== undefined) {
    const id = known ?? await dashboardIdOf(conn, cache, buildFqn(serviceName, projectId));
    if (id) return { dashboard: { id, type: 'dashboard' }, upstream: NOTHING_UPSTREAM, upstreamTables: [] };
  }
  // Created on this worker: the id is at hand without a look-up.
  const created = cache.createdDashboards.get(projectId);
  if (created !== undefined) {
    const id = typeof created === 'string' ? created : await created();
    if (id) {
      if (typeof created !== 'string') cache.createdDashboards.set(projectId, id);
      return { dashboard: { id, type: 'dashboard' }, upstream: NOTHING_UPSTREAM, upstreamTables: [] };
    }
  }
  return remember(cache.dashboards, projectId, async () => {
    const lineage = await conn.openMetadata.getLineageByName('dashboard', buildFqn(serviceName, projectId), 1, 0);
    return lineage ? dashboardUpstream(lineage) : null;
  });
}

const NOTHING_UPSTREAM: ReadonlySet<string> = new Set();

/** Whether the run created the project's dashboard: its id (null: look it up by name), or undefined when not. */
export type CreatedLookup = (projectId: string) => string | null | undefined;

/** What one extracted name came to: a table inside the prefix, one outside it, several candidates, or none. */
type TableOutcome = { table: EntityReference } | { outside: true } | { unresolved: true } | { ambiguous: string[] };

/** Table names kept waiting at most; beyond, the prefix is read again after the listing (memory stays flat). */
export const MAX_WAITING_TABLE_NAMES = 100_000;

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
  /** Table names kept waiting at most (default MAX_WAITING_TABLE_NAMES). */
  maxWaitingNames?: number;
  /** Dashboards the run created so far, as the workflow knows them. */
  createdByRun?: CreatedLookup;
}

/**
 * Turns one warehouse's history rows into table -> dashboard edges. A row can wait for its dashboard (while
 * the run is still listing projects); it is then handled exactly as a row read after the listing would be.
 */
export class PrefixLineage {
  private readonly waiting = new Map<string, WaitingProject>();
  private waitingNames = 0;
  private waitingBytes = 0;
  /** Rows were dropped instead of kept waiting: the result is incomplete. */
  overflowed = false;
  /** Names left unresolved because several tables fit them (first REPORT_LIMIT). */
  readonly ambiguous: AmbiguousTable[] = [];
  /**
   * Names already warned about by this read. Kept here, not per run: a prefix read again carries its own
   * warnings, which must not depend on what an earlier read on the same worker said.
   */
  private readonly unresolvedWarned = new Set<string>();

  constructor(private readonly ctx: RowContext) {}

  /** Projects whose rows wait for their dashboard. */
  get waitingProjects(): number {
    return this.waiting.size;
  }

  /** Roughly the bytes the waiting rows hold in memory. */
  get heldBytes(): number {
    return this.waitingBytes;
  }

  private holding(bytes: number): void {
    this.waitingBytes += bytes;
  }

  /** Forgets the waiting rows (the attempt ends without writing them), giving their bytes back. */
  release(): void {
    this.waiting.clear();
    this.waitingNames = 0;
    this.holding(-this.waitingBytes);
  }

  /**
   * A page of history rows. `known` says whether a project's dashboard can be looked up now; otherwise its
   * rows wait (see `settle`). Without `known`, every project is looked up at once. The page's dashboards and
   * table names are asked for together first, so the batched look-ups answer many per request.
   */
  async rows(rows: HistoryRow[], known?: (projectId: string) => boolean): Promise<void> {
    const { counts } = this.ctx;
    const ready = new Map<string, WaitingProject>();
    for (const row of rows) {
      counts.queriesRead++;
      const { sql, hex } = this.hexQueryOf(row);
      if (!hex) continue;
      counts.hexQueries++;
      const tables = this.namesOf({ ...row, sql });
      if (!known || known(hex.projectId)) addRow(ready, hex.projectId, tables);
      else if (this.waitingNames + newNames(this.waiting, hex.projectId, tables) > (this.ctx.maxWaitingNames ?? MAX_WAITING_TABLE_NAMES)) {
        this.overflowed = true;
      } else {
        const { added, bytes } = addRow(this.waiting, hex.projectId, tables);
        this.waitingNames += added;
        this.holding(bytes);
      }
    }
    await this.forProjects([...ready]);
  }

  /**
   * Writes the waiting rows of projects `ready` accepts; with `final`, every waiting project is looked up and
   * the rows of one without a live dashboard count as unknown.
   */
  async settle(ready: (projectId: string) => boolean, final: boolean): Promise<void> {
    const due = [...this.waiting].filter(([projectId]) => final || ready(projectId));
    for (const [projectId, project] of due) {
      this.waiting.delete(projectId);
      this.waitingNames -= project.tables.size;
      this.holding(-project.bytes);
    }
    await this.forProjects(due);
  }

  /** The row's text capped by length, and Hex's comment in it (read by the dialect's string rules). */
  private hexQueryOf(row: HistoryRow): { sql: string; hex: ReturnType<typeof parseHexComment> } {
    const { dialect, prefix } = this.ctx;
    if (row.sql.length <= MAX_HISTORY_SQL_CHARS) return { sql: row.sql, hex: parseHexComment(row.sql, dialect) };
    const sql = row.sql.slice(0, MAX_HISTORY_SQL_CHARS);
    this.ctx.warn(`${prefix.service}:query ${row.queryId}`, `SQL text of ${row.sql.length} characters cut to ${MAX_HISTORY_SQL_CHARS} before parsing`);
    const lastLine = row.sql.slice(row.sql.lastIndexOf('\n') + 1);
    const trailing = lastLine.length <= MAX_TRAILING_LINE_CHARS ? parseHexComment(lastLine, dialect) : null;
    return { sql, hex: trailing ?? parseHexComment(sql, dialect) };
  }

  private namesOf(row: HistoryRow): NamedTables {
    const { dialect } = this.ctx;
    const { tables } = extractTables({ sql: row.sql, dialect, defaultDatabase: row.defaultDatabase, defaultSchema: row.defaultSchema });
    const sql = row.sql.slice(0, MAX_LINEAGE_SQL_CHARS);
    const named: NamedTables = new Map();
    for (const name of tables) {
      // A name the SQL left without database is the statement's database's, not any database of the service.
      const database = tableLocation(name, dialect).database === null ? row.defaultDatabase ?? null : null;
      named.set(JSON.stringify([name, database]), { name, database, sql, rows: 1 });
    }
    return named;
  }

  /**
   * Edges of these projects. Their dashboards are asked for all at once, then the names not already upstream
   * of them, so the batched look-ups answer many per request; then the edges are written, projects side by
   * side (bounded).
   */
  private async forProjects(projects: [string, WaitingProject][]): Promise<void> {
    const { conn, cache, serviceName } = this.ctx;
    const targets = await Promise.all(projects.map(([projectId]) => dashboardOf(conn, cache, serviceName, projectId, this.ctx.createdByRun)));
    const outcomes = await Promise.all(projects.map(([, project], i) => {
      const target = targets[i];
      return target ? Promise.all([...project.tables.values()].map((named) => this.resolve(named, target))) : [];
    }));
    const limit = pLimit(PROJECTS_AT_ONCE);
    await Promise.all(projects.map(([projectId, project], i) => limit(async () => {
      const target = targets[i];
      if (!target) {
        this.ctx.counts.projectsUnknown += project.rows;
        return;
      }
      const names = [...project.tables.values()];
      await Promise.all(names.map((named, k) => this.write(target, outcomes[i][k], named, projectId)));
    })));
  }

  private async resolve({ name, database }: NamedTable, target: DashboardUpstream): Promise<TableOutcome> {
    const { conn, cache, prefix, dialect } = this.ctx;
    // A name that already feeds this dashboard (within the prefix) is that edge: no lookup.
    const location = tableLocation(name, dialect);
    if (location.database === null && database) location.database = database;
    const known = target.upstreamTables.filter((t) => withinPrefix(t.fullyQualifiedName!, prefix)
      && fqnMatchesLocation(t.fullyQualifiedName!, prefix.service, location));
    const found = known.length === 1 ? { table: known[0] } : await lookUpTable(conn, cache, prefix, name, dialect, database);
    if (found && 'ambiguous' in found) return found;
    const table = found?.table;
    if (!table) return { unresolved: true };
    if (!withinPrefix(table.fullyQualifiedName ?? '', prefix)) return { outside: true };
    return { table };
  }

  private noteAmbiguous(entry: AmbiguousTable): void {
    const seen = this.ambiguous.some((a) => a.table === entry.table && a.database === entry.database);
    if (!seen && this.ambiguous.length < REPORT_LIMIT) this.ambiguous.push(entry);
  }

  /** Counts a name once per row that named it; writes its edge once, with the first row's SQL. */
  private async write(target: DashboardUpstream, outcome: TableOutcome, named: NamedTable, projectId: string): Promise<void> {
    const { conn, cache, counts, prefix } = this.ctx;
    if ('unresolved' in outcome || 'ambiguous' in outcome) {
      counts.tablesUnresolved += named.rows;
      if ('ambiguous' in outcome) this.noteAmbiguous({ table: named.name, database: named.database, candidates: outcome.ambiguous });
      const item = `${prefix.service}:${named.name}${named.database ? ` (database ${named.database})` : ''}`;
      if (!this.unresolvedWarned.has(item)) {
        this.unresolvedWarned.add(item);
        if ('ambiguous' in outcome) {
          this.ctx.warn(item, `ambiguous: ${outcome.ambiguous.join(' and ')} all fit; no edge written (first seen in project ${projectId})`);
        } else {
          this.ctx.warn(item, `table not found in OpenMetadata (first seen in project ${projectId})`);
        }
      }
      return;
    }
    if ('outside' in outcome) {
      counts.tablesOutsidePrefix += named.rows;
      return;
    }
    counts.tablesResolved += named.rows;
    const { table } = outcome;
    const { dashboard } = target;
    // Claimed before the write, so rows in flight together write a pair once.
    const claim = cache.edges.claim(table.id, dashboard.id, this.ctx.claimant);
    if (claim === 'taken') return;
    if (claim === 'earlier' || target.upstream.has(table.id)) {
      // Already in OpenMetadata (from an earlier run or attempt, a SQL cell, or drawn by hand).
      counts.edgesExisting++;
      return;
    }
    await conn.openMetadata.putLineage(table, dashboard, {
      sqlQuery: named.sql,
      source: 'DashboardLineage',
      description: `Hex query history of ${prefix.service}`,
    }).catch((error) => {
      cache.edges.release(table.id, dashboard.id);
      throw error;
    });
    counts.edgesWritten++;
  }
}
