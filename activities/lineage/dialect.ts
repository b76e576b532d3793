/** SQL dialects of the warehouses whose query history hexmeta reads. */
export const DIALECTS = [
  'snowflake', 'bigquery', 'databricks', 'redshift', 'postgres', 'mysql', 'clickhouse', 'trino', 'athena',
] as const;
export type Dialect = (typeof DIALECTS)[number];

export function isDialect(value: unknown): value is Dialect {
  return typeof value === 'string' && (DIALECTS as readonly string[]).includes(value);
}
