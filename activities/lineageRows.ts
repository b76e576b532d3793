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

/** Projects whose edges are written at the same time. */
const PROJECTS_AT_ONCE = 8;
/** Enough of the SQL to recognise the query in OpenMetadata's lineage panel. */
export const MAX_LINEAGE_SQL_CHARS = 4_000;

export function emptyLineageCounts(): LineageCounts {
  return { queriesRead: 0, hexQueries: 0, tablesResolved: 0, tablesUnresolved: 0, projectsUnknown: 0, edgesWritten: 0, edgesExisting: 0, tablesOutsidePrefix: 0 };
}

/**
 * The project's live dashboard and the entities already upstream of it, from one lineage read (a soft-deleted
 * or missing dashboard is a 404 there, hence null).
 */
export async function dashboardOf(conn: Connected, cache: RunCache, serviceName: string, projectId: string): Promise<DashboardUpstream | null> {
  // Created by this run on this worker: only this run's edges (claimed) can feed it, so there is nothing to
  // read, and nothing per dashboard to keep beyond its id.
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

/** What one extracted name came to: a table inside the prefix, one outside it, or none. */
type TableOutcome = { table: EntityReference } | { outside: true } | { unresolved: true };

/** Table names of rows read, with the SQL of the first row naming each and how many rows named it. */
type NamedTables = Map<string, { sql: string; rows: number }>;

/** Rows of one project whose dashboard does not exist yet, kept compact: one SQL per table name. */
interface WaitingProject {
  rows: number;
  tables: NamedTables;
  /** Roughly what they hold in memory. */
  bytes: number;
}

/** Memory of a kept table name besides its text: map entry, record, count. */
const BYTES_PER_NAME = 96;

/** Names of `tables` the project does not have yet in `projects`. */
function newNames(projects: Map<string, WaitingProject>, projectId: string, tables: NamedTables): number {
  const project = projects.get(projectId);
  return project ? [...tables.keys()].filter((name) => !project.tables.has(name)).length : tables.size;
}

/**
 * Adds a row's names to its project (one SQL per name, rows counted); returns how many names were new and the
 * bytes they hold (the row's SQL is kept once, for all its new names).
 */
function addRow(projects: Map<string, WaitingProject>, projectId: string, tables: NamedTables): { added: number; bytes: number } {
  const project = projects.get(projectId) ?? { rows: 0, tables: new Map(), bytes: 0 };
  projects.set(projectId, project);
  project.rows++;
  let added = 0;
  let bytes = 0;
  for (const [name, named] of tables) {
    const kept = project.tables.get(name);
    if (kept) kept.rows += named.rows;
    else {
      project.tables.set(name, { ...named });
      bytes += (added === 0 ? named.sql.length : 0) + name.length + BYTES_PER_NAME;
      added++;
    }
  }
  project.bytes += bytes;
  return { added, bytes };
}

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

  constructor(private readonly ctx: RowContext) {}

  /** Projects whose rows wait for their dashboard. */
  get waitingProjects(): number {
    return this.waiting.size;
  }

  /** Counts bytes of waiting rows here and in the run's total on this worker (see `waitingBytes`). */
  private holding(bytes: number): void {
    this.waitingBytes += bytes;
    this.ctx.cache.waitingBytes += bytes;
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
      const hex = parseHexComment(row.sql);
      if (!hex) continue;
      counts.hexQueries++;
      const tables = this.namesOf(row);
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

  private namesOf(row: HistoryRow): NamedTables {
    const { tables } = extractTables({ sql: row.sql, dialect: this.ctx.dialect, defaultDatabase: row.defaultDatabase, defaultSchema: row.defaultSchema });
    const sql = row.sql.slice(0, MAX_LINEAGE_SQL_CHARS);
    return new Map(tables.map((name) => [name, { sql, rows: 1 }]));
  }

  /**
   * Edges of these projects. Their dashboards are asked for all at once, then the names not already upstream
   * of them, so the batched look-ups answer many per request; then the edges are written, projects side by
   * side (bounded).
   */
  private async forProjects(projects: [string, WaitingProject][]): Promise<void> {
    const { conn, cache, serviceName } = this.ctx;
    const targets = await Promise.all(projects.map(([projectId]) => dashboardOf(conn, cache, serviceName, projectId)));
    const outcomes = await Promise.all(projects.map(([, project], i) => {
      const target = targets[i];
      return target ? Promise.all([...project.tables.keys()].map((name) => this.resolve(name, target))) : [];
    }));
    const limit = pLimit(PROJECTS_AT_ONCE);
    await Promise.all(projects.map(([projectId, project], i) => limit(async () => {
      const target = targets[i];
      if (!target) {
        this.ctx.counts.projectsUnknown += project.rows;
        return;
      }
      const names = [...project.tables];
      await Promise.all(names.map(([name, named], k) => this.write(target, name, outcomes[i][k], named, projectId)));
    })));
  }

  private async resolve(name: string, target: DashboardUpstream): Promise<TableOutcome> {
    const { conn, cache, prefix, dialect } = this.ctx;
    // A name that already feeds this dashboard (within the prefix) is that edge: no lookup.
    const location = tableLocation(name, dialect);
    const known = target.upstreamTables.filter((t) => withinPrefix(t.fullyQualifiedName!, prefix)
      && fqnMatchesLocation(t.fullyQualifiedName!, prefix.service, location));
    const table = known.length === 1 ? known[0] : await resolveTable(conn, cache, prefix, name, dialect);
    if (!table) return { unresolved: true };
    if (!withinPrefix(table.fullyQualifiedName ?? '', prefix)) return { outside: true };
    return { table };
  }

  /** Counts a name once per row that named it; writes its edge once, with the first row's SQL. */
  private async write(target: DashboardUpstream, name: string, outcome: TableOutcome, named: { sql: string; rows: number }, projectId: string): Promise<void> {
    const { conn, cache, counts, prefix } = this.ctx;
    if ('unresolved' in outcome) {
      counts.tablesUnresolved += named.rows;
      const item = `${prefix.service}:${name}`;
      if (!cache.unresolvedWarned.has(item)) {
        cache.unresolvedWarned.add(item);
        this.ctx.warn(item, `table not found in OpenMetadata (first seen in project ${projectId})`);
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
