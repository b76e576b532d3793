// The chaos suite's Hex workspace, its warehouse history (real PostgreSQL) and the OpenMetadata state both runs start from.
import { OpenMetadataClient } from '../../activities/openmetadata/client';
import { toCreateDashboard } from '../../activities/mapping/dashboard';
import { makeProject, makeWorkspace, type HexProject } from '../../servers/hexServer';
import type { OpenMetadataServer } from '../../servers/openMetadataServer';
import { postgresConnection, runPostgres, withTrailingHexComment, type ServiceEnv } from '../support/databases';
import { OM_JWT } from '../support/world';

export const WAREHOUSE_SERVICE = 'pg_wh';
const TABLE_COUNT = 6;
const COLUMN_COUNT = 10;
/** Tables OpenMetadata knows; the last table stays unknown, so its reads are unresolved in both runs alike. */
const REGISTERED_TABLES = TABLE_COUNT - 1;
/** (table, column) pairs are unique below this, so no two Hex statements normalise alike in pg_stat_statements. */
const MAX_LINEAGE_PROJECTS = TABLE_COUNT * COLUMN_COUNT;

export function isVisible(project: HexProject): boolean {
  return project.type === 'PROJECT' && !project.archivedAt && !project.trashedAt;
}

/** A generated workspace holding exactly `visibleCount` listed projects, plus the archived, trashed and components among them. */
export function chaosWorkspace(visibleCount: number, seed: number): HexProject[] {
  const all = makeWorkspace(Math.ceil(visibleCount * 1.5) + 50, seed);
  const projects: HexProject[] = [];
  let visible = 0;
  for (const project of all) {
    if (visible === visibleCount) break;
    projects.push(project);
    if (isVisible(project)) visible++;
  }
  if (visible < visibleCount) throw new Error(`generated workspace has only ${visible} visible projects`);
  return projects;
}

/** Projects gone from Hex whose dashboards OpenMetadata still holds: the run must soft-delete them. */
export function retiredProjects(count: number): HexProject[] {
  return Array.from({ length: count }, (_, i) => makeProject({ title: `Retired report ${i}`, categories: [], status: null }));
}

export interface LineageFixture {
  schema: string;
  /** Hex-commented statements, one per lineage project. */
  statements: string[];
  /** OpenMetadata table FQNs to register. */
  tableFqns: string[];
  /** `table FQN -> project id` pairs the history implies (unknown tables left out). */
  expectedEdges: string[];
}

/** One distinct statement per lineage project; every fourth joins a second table. */
export function lineageFixture(kept: HexProject[], tag: string, database: string): LineageFixture {
  const schema = `chaos_${tag}`;
  const fqnOf = (table: number) => `${WAREHOUSE_SERVICE}.${database}.${schema}.t${table}`;
  const count = Math.min(MAX_LINEAGE_PROJECTS, Math.floor(kept.length / 10));
  const step = Math.max(1, Math.floor(kept.length / Math.max(1, count)));
  const statements: string[] = [];
  const edges = new Set<string>();
  for (let i = 0; i < count; i++) {
    const project = kept[i * step];
    const table = i % TABLE_COUNT;
    const column = Math.floor(i / TABLE_COUNT);
    const tables = [table];
    let sql = `SELECT c${column} FROM ${schema}.t${table}`;
    if (i % 4 === 0) {
      const other = (table + 1) % TABLE_COUNT;
      tables.push(other);
      sql = `SELECT a.c${column}, b.c${column} FROM ${schema}.t${table} a JOIN ${schema}.t${other} b ON b.id = a.id`;
    }
    statements.push(withTrailingHexComment(sql, project.id));
    for (const t of tables) if (t < REGISTERED_TABLES) edges.add(`${fqnOf(t)} -> ${project.id}`);
  }
  return {
    schema,
    statements,
    tableFqns: Array.from({ length: REGISTERED_TABLES }, (_, t) => fqnOf(t)),
    expectedEdges: [...edges].sort(),
  };
}

/** Creates the tables and runs the Hex statements, so pg_stat_statements holds them. */
export async function seedWarehouse(pg: ServiceEnv, fixture: LineageFixture): Promise<void> {
  const columns = Array.from({ length: COLUMN_COUNT }, (_, c) => `c${c} int`).join(', ');
  await runPostgres(pg, [
    `CREATE SCHEMA ${fixture.schema}`,
    ...Array.from({ length: TABLE_COUNT }, (_, t) => `CREATE TABLE ${fixture.schema}.t${t} (id int, ${columns})`),
    ...fixture.statements,
  ]);
}

export async function dropWarehouse(pg: ServiceEnv, fixture: LineageFixture): Promise<void> {
  await runPostgres(pg, [`DROP SCHEMA IF EXISTS ${fixture.schema} CASCADE`]);
}

/**
 * What OpenMetadata holds before a run: the warehouse service and its tables, and the Hex service with the
 * dashboards of retired projects. Returns table FQNs by id (ids differ between doubles).
 */
export async function seedOpenMetadata(
  om: OpenMetadataServer, pg: ServiceEnv, fixture: LineageFixture, retired: HexProject[], serviceName: string, hexUrl: string,
): Promise<Map<string, string>> {
  om.addDatabaseService(WAREHOUSE_SERVICE, 'Postgres', postgresConnection(pg));
  const tableFqnById = new Map<string, string>();
  for (const fqn of fixture.tableFqns) tableFqnById.set(om.addTable(fqn, { columns: ['id'] }).id, fqn);
  const client = new OpenMetadataClient({ hostPort: om.url, jwtToken: OM_JWT });
  await client.putDashboardService({ name: serviceName, serviceType: 'Hex' });
  for (const project of retired) {
    await client.putDashboard(toCreateDashboard(project, { serviceName, hostPort: hexUrl, workspace: 'acme-analytics', owner: null, tagNames: [] }));
  }
  return tableFqnById;
}
