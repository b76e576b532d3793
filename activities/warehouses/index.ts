import { processLog, type Log } from '../common/log';
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
    throw new Error(`connection type ${JSON.stringify(type)} has no query-history reader (supported: ${SUPPORTED_WAREHOUSE_TYPES.join(', ')})`);
  }
  return withPageLog(load()(connection, { queryHistory, log }), log.with({ warehouseType: type }));
}
