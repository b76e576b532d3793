import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import {
  authenticationError, configurationError, readError, errorText, expectType, normalisePageSize, readMarker, redact,
} from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, QueryHistorySource } from './types';

/**
 * BigQuery query history from `region-<location>.INFORMATION_SCHEMA.JOBS_BY_PROJECT`, one project after
 * the other, through the official @google-cloud/bigquery client.
 *
 * Connection keys (OpenMetadata `bigQueryConnection`): `credentials.gcpConfig` (service-account values:
 * `projectId`, `privateKeyId`, `privateKey`, `clientEmail`; or `type: gcp_credential_path` + `path`; or
 * `type: gcp_adc`), `billingProjectId` (project the history queries run and are billed in), `usageLocation`.
 *
 * `options.queryHistory` (hexmeta settings):
 * - `projects`: projects whose history is read (default: `gcpConfig.projectId`, one or several).
 * - `location`: region or multi-region of the jobs (default: the connection's `usageLocation`, else `US`).
 * - `marker`: text a Hex statement contains (default `Hex query metadata`), matched server-side.
 * - `endpoint`: API root replacing `https://bigquery.googleapis.com` (tests point it at a local double).
 * - `selfSignedJwt`: sign each request with the service-account key (default true) instead of exchanging the
 *   key for an OAuth token first; Google accepts both for BigQuery, and the self-signed form needs no token
 *   endpoint.
 *
 * Paging is keyset on (creation_time, job_id) inside one project; the cursor names the project and the last
 * row, so a resumed scan continues where it stopped.
 */

const DEFAULT_LOCATION = 'US';
/** Project ids, including domain-scoped ones (`example.com:project`). */
const PROJECT_ID = /^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,61}[a-z0-9]$/;
const LOCATION = /^[A-Za-z0-9-]+$/;

export function historyQuery(project: string, location: string, afterCursor: boolean, limit: number): string {
  return [
    "SELECT job_id, query, FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', creation_time, 'UTC') AS creation_time_utc",
    `FROM \`${project}\`.\`region-${location.toLowerCase()}\`.INFORMATION_SCHEMA.JOBS_BY_PROJECT`,
    "WHERE job_type = 'QUERY'",
    '  AND STRPOS(query, @marker) > 0',
    '  AND creation_time >= TIMESTAMP(@window_start) AND creation_time < TIMESTAMP(@window_end)',
    ...(afterCursor
      ? ['  AND (creation_time > TIMESTAMP(@after_time) OR (creation_time = TIMESTAMP(@after_time) AND job_id > @after_job_id))']
      : []),
    'ORDER BY creation_time, job_id',
    `LIMIT ${limit}`,
  ].join('\n');
}

export function createBigQueryHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  const settings = options.queryHistory ?? {};
  expectType(connection, ['BigQuery'], 'BigQuery');
  const gcpConfig = gcpConfigOf(connection);
  const projects = projectsToRead(settings, gcpConfig);
  const location = text(settings.location) ?? text(connection.usageLocation) ?? DEFAULT_LOCATION;
  if (!LOCATION.test(location)) throw configurationError(`BigQuery location is not a region name: ${location}`);
  const marker = readMarker(settings);
  const secrets = [gcpConfig.privateKey].filter((value): value is string => typeof value === 'string' && value.length > 0);

  const client = new BigQuery(clientOptions(connection, gcpConfig, settings, projects[0]));
  if (settings.selfSignedJwt !== false) client.authClient.useJWTAccessWithScope = true;

  return {
    dialect: 'bigquery',
    async readPage(window, cursor, pageSize) {
      const limit = normalisePageSize(pageSize);
      const position = cursorPosition(cursor, projects.length);
      const project = projects[position.projectIndex];
      const after = position.afterTime !== null && position.afterJobId !== null;
      const params: Record<string, string> = {
        marker,
        window_start: window.start,
        window_end: window.end,
        ...(after ? { after_time: position.afterTime as string, after_job_id: position.afterJobId as string } : {}),
      };
      let rows: Array<Record<string, unknown>>;
      try {
        [rows] = await client.query({ query: historyQuery(project, location, after, limit), params, location });
      } catch (error) {
        throw queryError(error, project, secrets);
      }
      const historyRows = rows.map((row) => toHistoryRow(row, project));
      return { rows: historyRows, next: nextCursor(rows, limit, position.projectIndex, projects.length) } satisfies HistoryPage;
    },
    async close() {
      // The client holds no connection beyond HTTP keep-alive sockets.
    },
  };
}

function clientOptions(
  connection: Record<string, unknown>,
  gcpConfig: Record<string, unknown>,
  settings: Record<string, unknown>,
  firstProject: string,
): BigQueryOptions {
  const endpoint = text(settings.endpoint) ?? apiRootFromHostPort(connection.hostPort);
  const options: BigQueryOptions = {
    projectId: text(connection.billingProjectId) ?? firstProject,
    ...(endpoint ? { apiEndpoint: endpoint } : {}),
  };
  const type = text(gcpConfig.type) ?? 'service_account';
  if (type === 'service_account') {
    const clientEmail = text(gcpConfig.clientEmail);
    const privateKey = text(gcpConfig.privateKey);
    if (!clientEmail || !privateKey) {
      throw configurationError('BigQuery service-account credentials need clientEmail and privateKey');
    }
    options.credentials = { client_email: clientEmail, private_key: privateKey };
    // The key id names the signing key in self-signed JWTs.
    const keyId = text(gcpConfig.privateKeyId);
    if (keyId) (options.credentials as Record<string, string>).private_key_id = keyId;
  } else if (type === 'gcp_credential_path') {
    const path = text(gcpConfig.path);
    if (!path) throw configurationError('BigQuery gcp_credential_path credentials need path');
    options.keyFilename = path;
  } else if (type !== 'gcp_adc') {
    throw configurationError(`BigQuery credentials of type ${type} are not supported for query history`);
  }
  return options;
}

function apiRootFromHostPort(hostPort: unknown): string | undefined {
  const host = text(hostPort);
  if (!host || host === 'bigquery.googleapis.com') return undefined;
  return /^https?:\/\//i.test(host) ? host : `https://${host}`;
}

function gcpConfigOf(connection: Record<string, unknown>): Record<string, unknown> {
  const credentials = connection.credentials;
  const gcpConfig = credentials && typeof credentials === 'object' ? (credentials as Record<string, unknown>).gcpConfig : undefined;
  if (!gcpConfig || typeof gcpConfig !== 'object') throw configurationError('BigQuery connection needs credentials.gcpConfig');
  return gcpConfig as Record<string, unknown>;
}

function projectsToRead(settings: Record<string, unknown>, gcpConfig: Record<string, unknown>): string[] {
  const configured = settings.projects ?? gcpConfig.projectId;
  const projects = typeof configured === 'string' ? [configured] : configured;
  if (!Array.isArray(projects) || projects.length === 0) {
    throw configurationError('BigQuery query history needs queryHistory.projects or credentials.gcpConfig.projectId');
  }
  for (const project of projects) {
    if (typeof project !== 'string' || !PROJECT_ID.test(project)) throw configurationError(`BigQuery project id is not valid: ${String(project)}`);
  }
  return projects as string[];
}

interface CursorPosition {
  projectIndex: number;
  afterTime: string | null;
  afterJobId: string | null;
}

function cursorPosition(cursor: HistoryCursor | null, projectCount: number): CursorPosition {
  if (!cursor) return { projectIndex: 0, afterTime: null, afterJobId: null };
  const { projectIndex, afterTime, afterJobId } = cursor;
  const valid = typeof projectIndex === 'number' && Number.isInteger(projectIndex) && projectIndex >= 0 && projectIndex < projectCount
    && (afterTime === null || typeof afterTime === 'string') && (afterJobId === null || typeof afterJobId === 'string');
  if (!valid) throw configurationError('BigQuery history cursor is malformed');
  return { projectIndex, afterTime: afterTime as string | null, afterJobId: afterJobId as string | null };
}

function nextCursor(rows: Array<Record<string, unknown>>, limit: number, projectIndex: number, projectCount: number): HistoryCursor | null {
  const last = rows[rows.length - 1];
  if (rows.length === limit && last) {
    return { projectIndex, afterTime: String(last.creation_time_utc), afterJobId: String(last.job_id) };
  }
  return projectIndex + 1 < projectCount ? { projectIndex: projectIndex + 1, afterTime: null, afterJobId: null } : null;
}

function toHistoryRow(row: Record<string, unknown>, project: string): HistoryRow {
  const created = text(row.creation_time_utc);
  return {
    queryId: `${project}:${String(row.job_id)}`,
    sql: String(row.query ?? ''),
    startedAt: created ? new Date(created).toISOString() : null,
    // Unqualified dataset names resolve in the project that ran the job.
    defaultDatabase: project,
    defaultSchema: null,
  };
}

function queryError(error: unknown, project: string, secrets: string[]): Error {
  const code = error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const message = secrets.reduce(redact, errorText(error));
  if (code === 401 || code === 403) {
    return authenticationError(`BigQuery refused the credentials reading project ${project} (HTTP ${code}): ${message}`);
  }
  return readError(`BigQuery query history read failed for project ${project}: ${message}`);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
