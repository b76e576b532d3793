// The three warehouses of W1, as wire-format doubles read through the connector's real clients.
import { startDatabricksDouble } from '../servers/warehouses/databricksDouble';
import { startSnowflakeDouble } from '../servers/warehouses/snowflakeDouble';
import { TrinoDouble } from '../servers/warehouses/trinoDouble';
import type { HistoryRow, WarehouseKind } from './workload';

export const WAREHOUSE_USER = 'hexmeta';
/** Rows per Trino data response: a coordinator hands out large batches. */
const TRINO_BATCH_ROWS = 1_000;

export interface BenchWarehouses {
  /** OpenMetadata database service name and type per warehouse. */
  services: Record<WarehouseKind, { name: string; serviceType: string }>;
  /** `warehouses:` entries of the workflow file (passwords as ${...} references). */
  connections: Record<string, Record<string, unknown>>;
  /** `queryHistory:` entries pointing the readers at the doubles. */
  queryHistory: Record<string, Record<string, unknown>>;
  /** Environment the worker needs to resolve the references. */
  secretsEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startWarehouses(history: Record<WarehouseKind, HistoryRow[]>, password: string): Promise<BenchWarehouses> {
  const snowflake = await startSnowflakeDouble({
    username: WAREHOUSE_USER,
    password,
    history: history.snowflake.map((row) => ({
      queryId: row.queryId, queryText: row.sql, startTime: new Date(row.startedAtMs).toISOString(), databaseName: 'ANALYTICS', schemaName: 'S0',
    })),
  });
  const trino = new TrinoDouble({
    queries: history.trino.map((row) => ({ query_id: row.queryId, query: row.sql, created: new Date(row.startedAtMs).toISOString() })),
    credentials: { user: WAREHOUSE_USER, password },
    batchSize: TRINO_BATCH_ROWS,
  });
  await trino.start();
  const databricks = await startDatabricksDouble({
    token: password,
    queries: history.databricks.map((row) => ({ query_id: row.queryId, query_text: row.sql, query_start_time_ms: row.startedAtMs })),
  });
  return {
    services: {
      snowflake: { name: 'sf_wh', serviceType: 'Snowflake' },
      trino: { name: 'trino_wh', serviceType: 'Trino' },
      databricks: { name: 'dbx_wh', serviceType: 'Databricks' },
    },
    connections: {
      sf_wh: { type: 'Snowflake', account: 'bench1234.eu-west-1', username: WAREHOUSE_USER, password: '${BENCH_WAREHOUSE_PASSWORD}', warehouse: 'COMPUTE_WH' },
      trino_wh: { type: 'Trino', hostPort: trino.hostPort, username: WAREHOUSE_USER, authType: { password: '${BENCH_WAREHOUSE_PASSWORD}' }, catalog: 'hive' },
      dbx_wh: { type: 'Databricks', hostPort: 'adb-1.azuredatabricks.net:443', authType: { token: '${BENCH_WAREHOUSE_PASSWORD}' } },
    },
    queryHistory: {
      sf_wh: { endpoint: snowflake.url },
      dbx_wh: { endpoint: databricks.url },
    },
    secretsEnv: { BENCH_WAREHOUSE_PASSWORD: password },
    async close() {
      await Promise.allSettled([snowflake.close(), trino.stop(), databricks.close()]);
    },
  };
}
