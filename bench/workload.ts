// Workload W1: a deterministic Hex workspace, its OpenMetadata users and tables, and three warehouses' query history.
import { makeProject, type HexProject } from '../servers/hexServer';
import { hexComment } from '../test/support/databases';
import { seededRandom } from '../servers/random';
export { seededRandom };

export const USER_COUNT = 500;
export const TABLE_COUNT = 5_000;
/** Query-history rows per project: 200,000 rows for 10,000 projects. */
export const HISTORY_ROWS_PER_PROJECT = 20;
export const FILTERED_TITLE_PREFIX = 'Scratch';
/** Excludes the filtered share of titles, as a workflow file would. */
export const DASHBOARD_FILTER = { excludes: [`(?i)^${FILTERED_TITLE_PREFIX}`] };
/** Every tenth user has no OpenMetadata account, so owner look-ups also take the unresolved path. */
const UNREGISTERED_EVERY = 10;

export type WarehouseKind = 'snowflake' | 'trino' | 'databricks';
export const WAREHOUSES: WarehouseKind[] = ['snowflake', 'trino', 'databricks'];

export interface HistoryRow {
  queryId: string;
  sql: string;
  startedAtMs: number;
}

export interface Workload {
  projects: HexProject[];
  users: { name: string; email: string }[];
  /** OpenMetadata table FQNs per warehouse. */
  tables: Record<WarehouseKind, string[]>;
  history: Record<WarehouseKind, HistoryRow[]>;
  /** Projects Hex lists (neither archived nor trashed) and the connector keeps (not filtered). */
  listed: number;
  kept: number;
}


function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function projectId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `b0000000-0000-4000-8000-${hex}`;
}

const CATEGORIES = ['Finance', 'Marketing', 'Exec', 'Product', 'Ops', 'Sales'];
const STATUSES = ['Approved', 'In development', 'Needs review', 'Deprecated'];
const TOPICS = ['Revenue review', 'Churn', 'Funnel', 'Forecast', 'Retention', 'Inventory', 'Campaign ROI', 'Pipeline'];

export function workspaceUsers(): { name: string; email: string }[] {
  return Array.from({ length: USER_COUNT }, (_, i) => ({ name: `analyst${i}`, email: `analyst${i}@acme.example` }));
}

/** `n` projects: categories, statuses and owners among 500 users; 5% filtered by title, 2% archived. */
export function makeBenchProjects(n: number, random: () => number): HexProject[] {
  const users = workspaceUsers();
  const start = Date.UTC(2023, 0, 2);
  return Array.from({ length: n }, (_, i) => {
    const owner = pick(random, users).email;
    const creator = random() < 0.8 ? owner : pick(random, users).email;
    const created = start + i * 3_600_000;
    const categories = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(random, CATEGORIES)))];
    // Exact shares (every 20th, every 50th) so the counts the table reports can be checked.
    const title = i % 20 === 7 ? `${FILTERED_TITLE_PREFIX} ${i}` : `${pick(random, TOPICS)} #${i}`;
    return makeProject({
      id: projectId(i),
      title,
      description: random() < 0.25 ? null : `Project ${i}.`,
      owner: { email: owner },
      creator: { email: creator },
      status: random() < 0.2 ? null : { name: pick(random, STATUSES) },
      categories: categories.map((name) => ({ name, description: null })),
      createdAt: new Date(created).toISOString(),
      lastEditedAt: new Date(created + 86_400_000).toISOString(),
      archivedAt: i % 50 === 13 ? new Date(created + 2 * 86_400_000).toISOString() : null,
    });
  });
}

/** FQNs as each warehouse's connector stores them: Snowflake upper case, the others as written. */
export function makeTables(): Record<WarehouseKind, string[]> {
  const tables: Record<WarehouseKind, string[]> = { snowflake: [], trino: [], databricks: [] };
  for (let i = 0; i < TABLE_COUNT; i++) {
    const kind = WAREHOUSES[i % WAREHOUSES.length];
    const schema = `s${i % 7}`;
    if (kind === 'snowflake') tables.snowflake.push(`sf_wh.ANALYTICS.${schema.toUpperCase()}.T_${i}`);
    else if (kind === 'trino') tables.trino.push(`trino_wh.hive.${schema}.t_${i}`);
    else tables.databricks.push(`dbx_wh.main.${schema}.t_${i}`);
  }
  return tables;
}

/** The table's name as SQL names it: the FQN without the service. */
function sqlName(fqn: string): string {
  return fqn.slice(fqn.indexOf('.') + 1);
}

/** A statement body; the Hex comment is added per execution, since each run carries its own trace id. */
function statementFor(random: () => number, tables: string[]): string {
  const count = 1 + Math.floor(random() * 3);
  const chosen = [...new Set(Array.from({ length: count }, () => sqlName(pick(random, tables))))];
  const from = chosen.map((name, k) => (k === 0 ? `FROM ${name} t0` : `JOIN ${name} t${k} ON t${k}.id = t0.id`)).join('\n');
  return `SELECT t0.id, count(*) AS n\n${from}\nWHERE t0.id > 10\nGROUP BY t0.id`;
}

function noiseStatement(random: () => number, tables: string[], i: number): string {
  return `SELECT * FROM ${sqlName(pick(random, tables))} WHERE id = ${i} -- analyst notebook`;
}

/**
 * `rows` history rows spread over the three warehouses, a third of them from Hex. Hex projects re-run a few
 * statements each (scheduled runs), so the same edges recur; a few statements name projects that were
 * archived or filtered, as real history does.
 */
export function makeHistory(
  projects: HexProject[], tables: Record<WarehouseKind, string[]>, rows: number, random: () => number, nowMs: number,
): Record<WarehouseKind, HistoryRow[]> {
  const history: Record<WarehouseKind, HistoryRow[]> = { snowflake: [], trino: [], databricks: [] };
  const pool: { kind: WarehouseKind; body: string; project: HexProject }[] = [];
  for (const project of projects) {
    const kind = pick(random, WAREHOUSES);
    const statements = 1 + Math.floor(random() * 3);
    for (let s = 0; s < statements; s++) pool.push({ kind, body: statementFor(random, tables[kind]), project });
  }
  const windowMs = 6 * 86_400_000;
  // Ends well before the workflow's window end (its start time).
  const lastMs = nowMs - 10 * 60_000;
  for (let i = 0; i < rows; i++) {
    const startedAtMs = lastMs - Math.floor(random() * windowMs);
    if (i % 3 === 0) {
      const { kind, body, project } = pick(random, pool);
      history[kind].push({ queryId: `q${i}`, sql: `${body}\n${hexComment(project.id, project.title)}`, startedAtMs });
    } else {
      const kind = pick(random, WAREHOUSES);
      history[kind].push({ queryId: `q${i}`, sql: noiseStatement(random, tables[kind], i), startedAtMs });
    }
  }
  return history;
}

export function makeWorkload(projectCount: number, nowMs = Date.now(), seed = 7): Workload {
  const random = seededRandom(seed);
  const projects = makeBenchProjects(projectCount, random);
  const allUsers = workspaceUsers();
  const users = allUsers.filter((_, i) => i % UNREGISTERED_EVERY !== UNREGISTERED_EVERY - 1);
  const tables = makeTables();
  const history = makeHistory(projects, tables, projectCount * HISTORY_ROWS_PER_PROJECT, random, nowMs);
  const listedProjects = projects.filter((p) => p.archivedAt === null && p.trashedAt === null && p.type !== 'COMPONENT');
  const kept = listedProjects.filter((p) => !p.title.toLowerCase().startsWith(FILTERED_TITLE_PREFIX.toLowerCase())).length;
  return { projects, users, tables, history, listed: listedProjects.length, kept };
}
