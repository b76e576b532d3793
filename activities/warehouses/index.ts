import { processLog, type Log } from '../common/log';
import { configurationError, WarehouseError } from './errors';
import { withPageLog } from './pageLog';
import type { QueryHistorySource } from './types';

type Factory = (connection: Record<string, unknown>, options: { queryHistory?: Record<string, unknown>; log?: Log }) => QueryHistorySource;

/*
 * OpenMetadata database connection `type` -> the history reader for that warehouse. Each reader is loaded on
 * first use: the cloud SDKs are large and most runs need one or two of them.
 */
const LOADERS: Record<string, () => Factory> = {
  Snowflake: () => require('./snowflake').createSnowflakeHistorySource,
  BigQuery: () => require('./bigquery').createBigQueryHistorySource,
  Databricks: () => require('./databricks').createDatabricksHistorySource,
  Redshift: () => require('./redshift').createRedshiftHistorySource,
  Postgres: () => require('./postgres').createPostgresHistorySource,
  Mysql: () => require('./mysql').createMysqlHistorySource,
  MariaDB: () => require('./mysql').createMysqlHistorySource,
  Clickhouse: () => require('./clickhouse').createClickhouseHistorySource,
  Trino: () => require('./trino').createTrinoHistorySource,
  Presto: () => require('./trino').createTrinoHistorySource,
  Athena: () => require('./athena').createAthenaHistorySource,
};

export const SUPPORTED_WAREHOUSE_TYPES = Object.keys(LOADERS);

/** The reader for a connection; `log` (carrying the warehouse's name) gets a DEBUG line per page read. */
export function createHistorySource(
  connection: Record<string, unknown>,
  queryHistory?: Record<string, unknown>,
  log: Log = processLog(),
): QueryHistorySource {
  const type = String(connection.type ?? '');
  const load = LOADERS[type];
  if (!load) {
    throw configurationError(`connection type ${JSON.stringify(type)} has no query-history reader (supported: ${SUPPORTED_WAREHOUSE_TYPES.join(', ')})`, 'type');
  }
  let source: QueryHistorySource;
  try {
    source = load()(connection, { queryHistory, log });
  } catch (error) {
    throw withWarehouse(error, type);
  }
  const logged = withPageLog(source, log.with({ warehouseType: type }));
  return {
    dialect: logged.dialect,
    readPage: (window, cursor, pageSize) => logged.readPage(window, cursor, pageSize).catch((error) => { throw withWarehouse(error, type); }),
    close: () => logged.close(),
  };
}

/** A reader's own failure names the warehouse it came from; other errors pass unchanged. */
function withWarehouse(error: unknown, type: string): unknown {
  if (error instanceof WarehouseError) error.warehouse ??= type;
  return error;
}
