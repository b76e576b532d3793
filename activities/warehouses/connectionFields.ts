import { maskSecrets } from '../common/scrubber';
import { configurationError } from './errors';

export { authenticationError, configurationError, readError } from './errors';

/**
 * Readers for the fields of an OpenMetadata database-service connection `config` object
 * (`entity/services/connections/database/*Connection.json`), secrets already resolved.
 * Every problem is a non-retryable configuration error naming the key, never its value.
 */

/** Text a Hex statement carries (see the Hex reference, "Hex query metadata" comment). */
export const DEFAULT_HEX_MARKER = 'Hex query metadata';

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Splits `hostPort` ("host:5432", "[::1]:5432", "host", or with a scheme such as "http://host:8123")
 * into host and port; `defaultPort` applies when none is written.
 */
export function readHostPort(connection: Record<string, unknown>, label: string, defaultPort: number): HostPort {
  const raw = requiredString(connection, 'hostPort', label).trim();
  const withoutScheme = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(withoutScheme);
  if (bracketed) return { host: bracketed[1], port: parsePort(bracketed[2], defaultPort, label) };
  const parts = withoutScheme.split(':');
  if (parts.length === 1) return { host: parts[0], port: defaultPort };
  if (parts.length === 2 && parts[0]) return { host: parts[0], port: parsePort(parts[1], defaultPort, label) };
  // A bare IPv6 address without brackets carries no port.
  if (parts.length > 2) return { host: withoutScheme, port: defaultPort };
  throw configurationError(`${label} connection: hostPort must look like "host:port"`, 'hostPort');
}

function parsePort(text: string | undefined, defaultPort: number, label: string): number {
  if (text === undefined || text === '') return defaultPort;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw configurationError(`${label} connection: hostPort has an invalid port`, 'hostPort');
  }
  return port;
}

export function requiredString(connection: Record<string, unknown>, key: string, label: string): string {
  const value = connection[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw configurationError(`${label} connection: missing required key "${key}"`, key);
  }
  return value;
}

export function optionalString(connection: Record<string, unknown>, key: string, label: string): string | undefined {
  const value = connection[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw configurationError(`${label} connection: "${key}" must be a string`, key);
  return value;
}

export function optionalBoolean(connection: Record<string, unknown>, key: string, label: string): boolean | undefined {
  const value = connection[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw configurationError(`${label} connection: "${key}" must be true or false`, key);
  return value;
}

/**
 * The password of basic authentication: `authType.password` (Postgres, MySQL) or a top-level
 * `password` (MariaDB, ClickHouse). IAM and Azure auth types are refused: they need token exchange
 * this connector does not do.
 */
export function readPassword(connection: Record<string, unknown>, label: string): string {
  const authType = connection.authType;
  if (authType !== undefined && authType !== null) {
    if (typeof authType !== 'object' || Array.isArray(authType)) {
      throw configurationError(`${label} connection: "authType" must be an object`, 'authType');
    }
    const auth = authType as Record<string, unknown>;
    if ('password' in auth) {
      if (typeof auth.password !== 'string') throw configurationError(`${label} connection: "authType.password" must be a string`, 'authType.password');
      return auth.password;
    }
    const kind = Object.keys(auth).join(', ') || 'empty';
    throw configurationError(
      `${label} connection: only basic authentication (authType.password) is supported, got authType with ${kind}`,
      'authType',
    );
  }
  const password = connection.password;
  if (password === undefined || password === null) return '';
  if (typeof password !== 'string') throw configurationError(`${label} connection: "password" must be a string`, 'password');
  return password;
}

/** Keys every database connection schema here shares (their schemas forbid other keys). */
const SHARED_KEYS = [
  'type', 'scheme', 'username', 'hostPort', 'connectionOptions', 'connectionArguments', 'schemaFilterPattern',
  'tableFilterPattern', 'databaseFilterPattern', 'supportsMetadataExtraction', 'supportsDBTExtraction',
  'supportsProfiler', 'supportsQueryComment', 'sampleDataStorageConfig',
];

/** Properties of OpenMetadata's `*Connection.json` schemas, by service type (`additionalProperties: false`). */
export const CONNECTION_KEYS: Record<'Postgres' | 'Mysql' | 'MariaDB' | 'Clickhouse', readonly string[]> = {
  Postgres: [...SHARED_KEYS, 'authType', 'database', 'ingestAllDatabases', 'storedProcedureFilterPattern', 'sslMode',
    'sslConfig', 'classificationName', 'queryStatementSource', 'supportsUsageExtraction', 'supportsLineageExtraction',
    'supportsDatabase', 'supportsDataDiff'],
  Mysql: [...SHARED_KEYS, 'authType', 'databaseName', 'databaseSchema', 'sslConfig', 'storedProcedureFilterPattern',
    'supportsDataDiff', 'supportsUsageExtraction', 'supportsLineageExtraction', 'useSlowLogs'],
  MariaDB: [...SHARED_KEYS, 'password', 'databaseName', 'databaseSchema', 'storedProcedureFilterPattern',
    'supportsViewLineageExtraction'],
  Clickhouse: [...SHARED_KEYS, 'password', 'databaseName', 'databaseSchema', 'duration', 'https', 'secure', 'keyfile',
    'supportsUsageExtraction', 'supportsLineageExtraction'],
};

/** A misspelt key would otherwise be silently ignored (e.g. `hostport`, leaving the real one missing). */
export function rejectUnknownKeys(connection: Record<string, unknown>, known: readonly string[], label: string): void {
  const unknown = Object.keys(connection).filter((key) => !known.includes(key));
  if (unknown.length) {
    throw configurationError(`${label} connection: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}`, unknown[0]);
  }
}

/** Checks `type` when present, so a MySQL config is not handed to the ClickHouse reader by mistake. */
export function expectType(connection: Record<string, unknown>, accepted: string[], label: string): void {
  const type = connection.type;
  if (type === undefined || type === null) return;
  if (typeof type !== 'string' || !accepted.some((name) => name.toLowerCase() === type.toLowerCase())) {
    throw configurationError(`${label} connection: "type" must be ${accepted.join(' or ')}`, 'type');
  }
}

/** `options.queryHistory.marker`: text every returned statement contains. */
export function readMarker(settings: Record<string, unknown> | undefined): string {
  const marker = settings?.marker;
  if (marker === undefined || marker === null) return DEFAULT_HEX_MARKER;
  if (typeof marker !== 'string' || marker === '') throw configurationError('queryHistory.marker must be a non-empty string', 'queryHistory.marker');
  return marker;
}

/** Removes every occurrence of the secret from a driver's message before it leaves this module. */
export function redact(text: string, secret: string): string {
  return maskSecrets(text, [secret]);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Page sizes arrive from workflow state; keep them a sane positive integer. */
export function normalisePageSize(pageSize: number): number {
  if (!Number.isFinite(pageSize) || pageSize < 1) {
    throw configurationError(`page size must be a positive number, got ${pageSize}`);
  }
  return Math.min(Math.floor(pageSize), 10_000);
}

/** Parses an ISO-8601 window bound into epoch milliseconds. */
export function windowBoundMs(iso: string, name: 'start' | 'end'): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw configurationError(`History window ${name} is not a date: ${iso}`);
  return ms;
}
