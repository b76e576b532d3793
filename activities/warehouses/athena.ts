import { maskSecrets } from '../common/scrubber';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  ListQueryExecutionsCommand,
  type AthenaClientConfig,
  type BatchGetQueryExecutionCommandOutput,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import { authenticationError, configurationError, readError, readMarker } from './connectionFields';
import type { HistoryCursor, HistoryPage, HistoryRow, QueryHistorySource } from './types';

/**
 * Athena query history: `ListQueryExecutions` per workgroup (newest first, NextToken paging) and
 * `BatchGetQueryExecution` for the statement text, context and submission time. The API cannot filter, so
 * the window and the Hex marker are applied here; listing a workgroup stops at the first execution older
 * than the window. Athena keeps about 45 days of history.
 *
 * Connection keys (OpenMetadata `athenaConnection`): `awsConfig.{awsAccessKeyId, awsSecretAccessKey,
 * awsSessionToken, awsRegion, endPointURL}` (without keys the SDK's default credential chain is used;
 * role assumption is not supported here), `workgroup`.
 *
 * `options.queryHistory` (hexmeta settings):
 * - `workGroups`: workgroups to read (default: the connection's `workgroup`, else `primary`).
 * - `endpoint`: API URL replacing the regional endpoint (tests point it at a local double); overrides
 *   `awsConfig.endPointURL`.
 * - `marker`: text a Hex statement contains (default `Hex query metadata`).
 * - `maxListCallsPerPage`: listing calls one `readPage` may make before returning (default 20), which
 *   bounds an activity's duration when few statements are Hex statements; such pages may be short or empty.
 *
 * Only SUCCEEDED executions are read. `defaultDatabase` is the data catalog, `defaultSchema` the database.
 */

/** Both APIs refuse more than 50 ids at once. */
const API_PAGE_LIMIT = 50;
const DEFAULT_MAX_LIST_CALLS = 20;
const AUTH_ERRORS = new Set([
  'UnrecognizedClientException', 'InvalidSignatureException', 'AccessDeniedException', 'ExpiredTokenException',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidClientTokenId', 'SignatureDoesNotMatch',
]);

export function createAthenaHistorySource(
  connection: Record<string, unknown>,
  options: { queryHistory?: Record<string, unknown> } = {},
): QueryHistorySource {
  const settings = options.queryHistory ?? {};
  const marker = readMarker(settings);
  const workGroups = workGroupList(settings.workGroups, connection.workgroup);
  const maxListCalls = positiveInteger(settings.maxListCallsPerPage, DEFAULT_MAX_LIST_CALLS);
  const { config, secrets } = clientConfig(connection, settings);
  const client = new AthenaClient(config);

  async function guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw describeFailure(error, secrets);
    }
  }

  return {
    dialect: 'athena',
    async readPage(window, cursor, pageSize) {
      const startMs = epochMs(window.start, 'start');
      const endMs = epochMs(window.end, 'end');
      const limit = Math.max(1, Math.floor(pageSize));
      let position = startPosition(cursor, workGroups);
      const rows: HistoryRow[] = [];
      for (let calls = 0; position && rows.length < limit && calls < maxListCalls; calls += 1) {
        const { workGroup, token } = position;
        const listed = await guarded(() => client.send(new ListQueryExecutionsCommand({
          WorkGroup: workGroup,
          NextToken: token ?? undefined,
          // Never list more than the page still has room for, so that no listed id is left behind.
          MaxResults: Math.min(API_PAGE_LIMIT, limit - rows.length),
        })));
        const ids = listed.QueryExecutionIds ?? [];
        const executions = ids.length
          ? await guarded(() => client.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids }))).then(inListingOrder(ids))
          : [];
        let olderThanWindow = false;
        for (const execution of executions) {
          const submitted = execution.Status?.SubmissionDateTime?.getTime();
          if (submitted === undefined) continue;
          if (submitted < startMs) {
            olderThanWindow = true;
            continue;
          }
          if (submitted >= endMs || execution.Status?.State !== 'SUCCEEDED') continue;
          if (!execution.Query?.includes(marker)) continue;
          rows.push(toHistoryRow(execution, submitted));
        }
        position = olderThanWindow || !listed.NextToken
          ? nextWorkGroup(position.workGroup, workGroups)
          : { workGroup: position.workGroup, token: listed.NextToken };
      }
      return { rows, next: position } satisfies HistoryPage;
    },
    async close() {
      client.destroy();
    },
  };
}

interface Position extends HistoryCursor { workGroup: string; token: string | null }

function startPosition(cursor: HistoryCursor | null, workGroups: string[]): Position | null {
  if (!cursor) return { workGroup: workGroups[0], token: null };
  if (typeof cursor.workGroup !== 'string' || !workGroups.includes(cursor.workGroup)
    || (cursor.token !== null && typeof cursor.token !== 'string')) {
    throw configurationError('Athena history cursor does not match the configured workgroups');
  }
  return { workGroup: cursor.workGroup, token: cursor.token };
}

function nextWorkGroup(current: string, workGroups: string[]): Position | null {
  const following = workGroups[workGroups.indexOf(current) + 1];
  return following === undefined ? null : { workGroup: following, token: null };
}

/** Details of the listed ids, in listing order (newest first). */
function inListingOrder(ids: string[]) {
  return (batch: BatchGetQueryExecutionCommandOutput): QueryExecution[] => {
    const unprocessed = batch.UnprocessedQueryExecutionIds ?? [];
    if (unprocessed.length) {
      // Retrying the whole page is safe: the cursor has not moved.
      const first = unprocessed[0];
      throw readError(`Athena could not return ${unprocessed.length} query execution(s), e.g. ${first.QueryExecutionId}: ${first.ErrorCode ?? 'unknown'}`);
    }
    const byId = new Map((batch.QueryExecutions ?? []).map((execution) => [execution.QueryExecutionId, execution]));
    return ids.map((id) => byId.get(id)).filter((execution): execution is QueryExecution => execution !== undefined);
  };
}

function toHistoryRow(execution: QueryExecution, submittedMs: number): HistoryRow {
  return {
    queryId: execution.QueryExecutionId ?? '',
    sql: execution.Query ?? '',
    startedAt: new Date(submittedMs).toISOString(),
    defaultDatabase: execution.QueryExecutionContext?.Catalog ?? null,
    defaultSchema: execution.QueryExecutionContext?.Database ?? null,
  };
}

/** SDK errors are plain (name, message, HTTP status); the signing key never appears in them, but we make sure. */
function describeFailure(error: unknown, secrets: string[]): Error {
  const name = (error as { name?: unknown } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const reason = redact(error instanceof Error ? error.message : String(error), secrets);
  if (typeof name === 'string' && (AUTH_ERRORS.has(name) || status === 401 || status === 403)) {
    return authenticationError(`Athena rejected the AWS credentials (${name}: ${reason})`);
  }
  return readError(`Athena query history request failed${typeof name === 'string' ? ` (${name})` : ''}: ${reason}`);
}

function clientConfig(
  connection: Record<string, unknown>,
  settings: Record<string, unknown>,
): { config: AthenaClientConfig; secrets: string[] } {
  const aws = connection.awsConfig && typeof connection.awsConfig === 'object'
    ? connection.awsConfig as Record<string, unknown> : {};
  if (typeof aws.awsRegion !== 'string' || !aws.awsRegion) {
    throw configurationError('Athena connection needs awsConfig.awsRegion');
  }
  if (typeof aws.assumeRoleArn === 'string' && aws.assumeRoleArn) {
    throw configurationError('Athena query history does not support awsConfig.assumeRoleArn');
  }
  const endpoint = [settings.endpoint, aws.endPointURL].find((value) => typeof value === 'string' && value) as string | undefined;
  const config: AthenaClientConfig = { region: aws.awsRegion, ...(endpoint ? { endpoint } : {}) };
  const secrets: string[] = [];
  if (typeof aws.awsAccessKeyId === 'string' && aws.awsAccessKeyId) {
    if (typeof aws.awsSecretAccessKey !== 'string' || !aws.awsSecretAccessKey) {
      throw configurationError('Athena connection has awsAccessKeyId but no awsSecretAccessKey');
    }
    const sessionToken = typeof aws.awsSessionToken === 'string' && aws.awsSessionToken ? aws.awsSessionToken : undefined;
    config.credentials = { accessKeyId: aws.awsAccessKeyId, secretAccessKey: aws.awsSecretAccessKey, sessionToken };
    secrets.push(aws.awsSecretAccessKey, ...(sessionToken ? [sessionToken] : []));
  }
  return { config, secrets };
}

function workGroupList(configured: unknown, connectionWorkGroup: unknown): string[] {
  if (configured === undefined || configured === null) {
    return [typeof connectionWorkGroup === 'string' && connectionWorkGroup ? connectionWorkGroup : 'primary'];
  }
  if (Array.isArray(configured) && configured.length > 0 && configured.every((item) => typeof item === 'string' && item)) {
    return configured as string[];
  }
  throw configurationError('queryHistory.workGroups must be a non-empty list of workgroup names');
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function epochMs(iso: string, name: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw configurationError(`History window ${name} is not a date: ${iso}`);
  }
  return ms;
}

function redact(text: string, secrets: string[]): string {
  return maskSecrets(text, secrets);
}
