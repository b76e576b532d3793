import { remember, rememberListing, type Connected, type RunCache } from '../runtime/context';
import type { HexCell, HexDataConnection } from '../hex/types';
import type { Dialect } from '../lineage/dialect';
import { extractTables } from '../lineage/extractTables';
import { parsePrefix, withinPrefix, type ServicePrefix } from '../openmetadata/tables';
import type { EntityReference } from '../openmetadata/types';
import { resolveTable } from './tableResolver';
import type { CellLineageCounts } from '../types';
import { MAX_LINEAGE_SQL_CHARS } from './lineageRows';

/** Hex data connection type -> SQL dialect, and the OpenMetadata database service types it can be. */
const CONNECTION_KINDS: Record<string, { dialect: Dialect; serviceTypes: string[] }> = {
  snowflake: { dialect: 'snowflake', serviceTypes: ['Snowflake'] },
  bigquery: { dialect: 'bigquery', serviceTypes: ['BigQuery'] },
  databricks: { dialect: 'databricks', serviceTypes: ['Databricks', 'UnityCatalog'] },
  redshift: { dialect: 'redshift', serviceTypes: ['Redshift'] },
  postgres: { dialect: 'postgres', serviceTypes: ['Postgres'] },
  postgresql: { dialect: 'postgres', serviceTypes: ['Postgres'] },
  mysql: { dialect: 'mysql', serviceTypes: ['Mysql', 'MariaDB'] },
  clickhouse: { dialect: 'clickhouse', serviceTypes: ['Clickhouse'] },
  trino: { dialect: 'trino', serviceTypes: ['Trino', 'Presto'] },
  athena: { dialect: 'athena', serviceTypes: ['Athena'] },
};

/** Database and schema a connection's unqualified names fall back to, where Hex shows them. */
function connectionDefaults(connection: HexDataConnection): { database?: string; schema?: string } {
  const details = connection.connectionDetails?.[connection.type] ?? {};
  const text = (key: string) => (typeof details[key] === 'string' && details[key] ? String(details[key]) : undefined);
  switch (connection.type) {
    case 'snowflake': return { database: text('database'), schema: text('schema') };
    case 'bigquery': return { database: text('projectId') };
    case 'trino': return { database: text('catalog'), schema: text('schema') };
    case 'athena': return { database: text('catalog') };
    default: return { database: text('database') };
  }
}

/** Cell lineage's claims on edges, told apart from those of warehouse-history attempts. */
const CELL_CLAIMANT = 'cells';

export function emptyCellLineageCounts(): CellLineageCounts {
  return { cellsRead: 0, sqlCells: 0, cellTablesResolved: 0, cellTablesUnresolved: 0, cellEdgesWritten: 0 };
}

function dataConnections(conn: Connected, cache: RunCache): Promise<Map<string, HexDataConnection>> {
  return rememberListing(cache, 'dataConnections', () => conn.hex.listDataConnections().then((list) => new Map(list.map((c) => [c.id, c]))));
}

function serviceTypeOf(conn: Connected, cache: RunCache, service: string): Promise<string | null> {
  return remember(cache.databaseServiceTypes, service, async () => (await conn.openMetadata.getDatabaseService(service))?.serviceType ?? null);
}

/** The configured prefixes whose database service is of the connection's kind, in configuration order. */
async function prefixesFor(conn: Connected, cache: RunCache, prefixes: string[], serviceTypes: string[]): Promise<ServicePrefix[]> {
  const chosen: ServicePrefix[] = [];
  for (const text of prefixes) {
    const prefix = parsePrefix(text);
    const type = await serviceTypeOf(conn, cache, prefix.service);
    if (type && serviceTypes.includes(type)) chosen.push(prefix);
  }
  return chosen;
}

export interface CellLineageContext {
  conn: Connected;
  cache: RunCache;
  dbServicePrefixes: string[];
  projectLabel: string;
  warn: (item: string, reason: string) => void;
}

/**
 * Lineage from a project's SQL cells: each cell bound to a warehouse connection is parsed in that warehouse's
 * dialect and its tables are looked up under the configured prefixes of the same kind of service. Edges share
 * the run's claim set with warehouse history, so a pair found both ways is written once.
 */
export async function lineageFromCells(ctx: CellLineageContext, dashboard: EntityReference, cells: HexCell[], counts: CellLineageCounts): Promise<void> {
  const { conn, cache } = ctx;
  for (const cell of cells) {
    const sql = cell.contents?.sqlCell?.source;
    if (cell.cellType !== 'SQL' || typeof sql !== 'string' || !sql.trim() || !cell.dataConnectionId) continue;
    counts.sqlCells++;
    const connection = (await dataConnections(conn, cache)).get(cell.dataConnectionId);
    const kind = connection && CONNECTION_KINDS[connection.type];
    if (!connection || !kind) {
      ctx.warn(ctx.projectLabel, `SQL cell ${cell.staticId}: data connection ${cell.dataConnectionId} is ${connection ? `of type ${JSON.stringify(connection.type)}, which hexmeta cannot parse` : 'not visible to this token'}`);
      continue;
    }
    const prefixes = await prefixesFor(conn, cache, ctx.dbServicePrefixes, kind.serviceTypes);
    const defaults = connectionDefaults(connection);
    const { tables } = extractTables({ sql, dialect: kind.dialect, defaultDatabase: defaults.database, defaultSchema: defaults.schema });
    for (const name of tables) {
      const table = await firstInPrefixes(ctx, prefixes, name, kind.dialect);
      if (!table) {
        counts.cellTablesUnresolved++;
        continue;
      }
      counts.cellTablesResolved++;
      if (cache.edges.claim(table.id, dashboard.id, CELL_CLAIMANT) !== 'new') continue;
      const label = cell.label?.trim() ? JSON.stringify(cell.label.trim()) : cell.staticId;
      await conn.openMetadata.putLineage(table, dashboard, {
        sqlQuery: sql.slice(0, MAX_LINEAGE_SQL_CHARS),
        source: 'DashboardLineage',
        description: `Hex SQL cell ${label} on ${connection.name}`,
      }).catch((error) => {
        cache.edges.release(table.id, dashboard.id);
        throw error;
      });
      counts.cellEdgesWritten++;
    }
  }
}

async function firstInPrefixes(ctx: CellLineageContext, prefixes: ServicePrefix[], name: string, dialect: Dialect): Promise<EntityReference | null> {
  for (const prefix of prefixes) {
    const table = await resolveTable(ctx.conn, ctx.cache, prefix, name, dialect);
    if (table && withinPrefix(table.fullyQualifiedName ?? '', prefix)) return table;
  }
  return null;
}
