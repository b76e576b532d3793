import type { Dialect } from '../lineage/dialect';
import { buildFqn, splitFqn } from './fqn';

/** Where an extracted table name sits in OpenMetadata's service.database.schema.table hierarchy. */
export interface TableLocation {
  database: string | null;
  schema: string | null;
  table: string;
}

/**
 * Maps a warehouse-qualified name to OpenMetadata's levels. Two-level systems (MySQL, ClickHouse) are stored
 * with database `default` and the warehouse database as the schema.
 */
export function tableLocation(name: string, dialect: Dialect): TableLocation {
  const parts = splitFqn(name);
  const table = parts[parts.length - 1];
  if (dialect === 'mysql' || dialect === 'clickhouse') {
    return { database: 'default', schema: parts.length >= 2 ? parts[parts.length - 2] : null, table };
  }
  return {
    database: parts.length >= 3 ? parts[parts.length - 3] : null,
    schema: parts.length >= 2 ? parts[parts.length - 2] : null,
    table,
  };
}

/** Exact FQN when every level is known. */
export function exactTableFqn(service: string, location: TableLocation): string | null {
  if (!location.database || !location.schema) return null;
  return buildFqn(service, location.database, location.schema, location.table);
}

/** Search pattern with `*` for unknown levels (the table index matches case-insensitively). */
export function tableSearchPattern(service: string, location: TableLocation): string {
  const part = (value: string | null) => (value === null ? '*' : buildFqn(value));
  return [buildFqn(service), part(location.database), part(location.schema), buildFqn(location.table)].join('.');
}

/** Parsed `service[.database[.schema]]` lineage prefix. */
export interface ServicePrefix {
  service: string;
  database: string | null;
  schema: string | null;
}

export function parsePrefix(prefix: string): ServicePrefix {
  const [service, database = null, schema = null] = splitFqn(prefix);
  return { service, database, schema };
}

/** Tables outside a `service.database.schema` prefix are dropped; names compare without case. */
export function withinPrefix(tableFqn: string, prefix: ServicePrefix): boolean {
  const [service, database, schema] = splitFqn(tableFqn).map((p) => p.toLowerCase());
  if (service !== prefix.service.toLowerCase()) return false;
  if (prefix.database && database !== prefix.database.toLowerCase()) return false;
  if (prefix.schema && schema !== prefix.schema.toLowerCase()) return false;
  return true;
}

/**
 * Whether a table FQN is one the name could denote under `service`: every level the name gives must agree
 * (without case, as the search fallback compares); levels it leaves out may be anything.
 */
export function fqnMatchesLocation(tableFqn: string, service: string, location: TableLocation): boolean {
  const parts = splitFqn(tableFqn).map((p) => p.toLowerCase());
  if (parts.length !== 4 || parts[0] !== service.toLowerCase()) return false;
  const [, database, schema, table] = parts;
  if (table !== location.table.toLowerCase()) return false;
  if (location.database !== null && database !== location.database.toLowerCase()) return false;
  if (location.schema !== null && schema !== location.schema.toLowerCase()) return false;
  return true;
}
