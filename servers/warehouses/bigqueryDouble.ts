import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID, verify } from 'node:crypto';
import { readJsonBody } from './jsonBody';

/**
 * A local stand-in for the BigQuery v2 REST API as @google-cloud/bigquery calls it:
 * `POST /bigquery/v2/projects/{project}/queries` (jobs.query, named parameters) and
 * `GET /bigquery/v2/projects/{project}/queries/{jobId}` (jobs.getQueryResults with `pageToken`), answering
 * with `schema.fields` and `rows[].f[].v`, and Google's error bodies.
 *
 * Requests must carry a service-account self-signed JWT (`Authorization: Bearer …`, RS256) whose signature
 * verifies against the public key registered for its issuer; anything else gets BigQuery's 401.
 *
 * It answers SELECTs over `` `<project>`.`region-<location>`.INFORMATION_SCHEMA.JOBS_BY_PROJECT `` whose WHERE
 * clause is made only of the predicates in PREDICATES; any other predicate is a query error, so a statement
 * the double does not understand is never answered loosely.
 */

export interface JobRecord {
  projectId: string;
  jobId: string;
  query: string;
  /** UTC creation time with up to six fractional digits. */
  creationTime: string;
  jobType?: 'QUERY' | 'LOAD' | 'EXTRACT' | 'COPY';
}

export interface ReceivedQuery {
  project: string;
  query: string;
  location: unknown;
  useLegacySql: unknown;
  parameterMode: unknown;
  parameters: Record<string, { type: string; value: unknown }>;
}

export interface BigQueryDouble {
  url: string;
  queries: ReceivedQuery[];
  resultPageRequests: number;
  close(): Promise<void>;
}

export interface BigQueryDoubleOptions {
  serviceAccounts: Record<string, string>;
  /** Region whose INFORMATION_SCHEMA exists, e.g. `US`. */
  location: string;
  jobs: JobRecord[];
  /** Rows per jobs.query / getQueryResults answer when the caller sets no maxResults. */
  rowsPerResponse?: number;
}

type Parameters = Record<string, { type: string; value: unknown }>;

const PREDICATES: Array<{ pattern: RegExp; params: string[]; test: (job: JobRecord, values: string[]) => boolean }> = [
  { pattern: /job_type = 'QUERY'/, params: [], test: (job) => (job.jobType ?? 'QUERY') === 'QUERY' },
  { pattern: /STRPOS\(query, @marker\) > 0/, params: ['marker'], test: (job, [marker]) => job.query.includes(marker) },
  { pattern: /creation_time >= TIMESTAMP\(@window_start\)/, params: ['window_start'], test: (job, [start]) => micros(job.creationTime) >= micros(start) },
  { pattern: /creation_time < TIMESTAMP\(@window_end\)/, params: ['window_end'], test: (job, [end]) => micros(job.creationTime) < micros(end) },
  {
    pattern: /\(creation_time > TIMESTAMP\(@after_time\) OR \(creation_time = TIMESTAMP\(@after_time\) AND job_id > @after_job_id\)\)/,
    params: ['after_time', 'after_job_id'],
    test: (job, [afterTime, afterJobId]) => micros(job.creationTime) > micros(afterTime)
      || (micros(job.creationTime) === micros(afterTime) && job.jobId > afterJobId),
  },
];

const PROJECTIONS: Record<string, (job: JobRecord) => string | null> = {
  job_id: (job) => job.jobId,
  query: (job) => job.query,
  "FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', creation_time, 'UTC')": (job) => sixDigitUtc(job.creationTime),
};

class ApiFailure extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

interface StoredResult {
  fields: Array<{ name: string; type: string; mode: string }>;
  rows: Array<Array<string | null>>;
}

export async function startBigQueryDouble(options: BigQueryDoubleOptions): Promise<BigQueryDouble> {
  const results = new Map<string, StoredResult>();
  const double: BigQueryDouble = { url: '', queries: [], resultPageRequests: 0, close: async () => {} };

  const server = createServer((req, res) => {
    readJsonBody(req)
      .then((body) => route(req, res, body))
      .catch((error: unknown) => {
        const failure = error instanceof ApiFailure ? error : new ApiFailure(500, 'backendError', String(error));
        send(res, failure.status, {
          error: {
            code: failure.status,
            message: failure.message,
            errors: [{ message: failure.message, domain: 'global', reason: failure.reason }],
            status: statusName(failure.status),
          },
        });
      });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    authenticate(req.headers.authorization, options.serviceAccounts);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryPath = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(url.pathname);
    if (req.method === 'POST' && queryPath) return runQuery(decodeURIComponent(queryPath[1]), body, res);
    const resultsPath = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && resultsPath) {
      double.resultPageRequests += 1;
      return sendPage(decodeURIComponent(resultsPath[1]), decodeURIComponent(resultsPath[2]), url.searchParams, res);
    }
    throw new ApiFailure(404, 'notFound', `Not found: ${req.method} ${url.pathname}`);
  }

  function runQuery(project: string, body: Record<string, unknown>, res: ServerResponse): void {
    const parameters = namedParameters(body.queryParameters);
    const query = String(body.query ?? '');
    double.queries.push({ project, query, location: body.location, useLegacySql: body.useLegacySql, parameterMode: body.parameterMode, parameters });
    if (body.useLegacySql !== false) throw new ApiFailure(400, 'invalidQuery', 'Legacy SQL does not support INFORMATION_SCHEMA');
    const result = evaluate(query, parameters, options, String(body.location ?? ''));
    const jobId = `job_${randomUUID().replace(/-/g, '_')}`;
    results.set(`${project}/${jobId}`, result);
    const maxResults = typeof body.maxResults === 'number' ? body.maxResults : undefined;
    const page = pageOf(result, 0, maxResults ?? options.rowsPerResponse);
    send(res, 200, {
      kind: 'bigquery#queryResponse',
      schema: { fields: result.fields },
      jobReference: { projectId: project, jobId, location: options.location },
      totalRows: String(result.rows.length),
      ...page,
      totalBytesProcessed: '10485760',
      jobComplete: true,
      cacheHit: false,
      queryId: jobId,
      jobCreationReason: { code: 'REQUESTED' },
    });
  }

  function sendPage(project: string, jobId: string, params: URLSearchParams, res: ServerResponse): void {
    const result = results.get(`${project}/${jobId}`);
    if (!result) throw new ApiFailure(404, 'notFound', `Not found: Job ${project}:${options.location}.${jobId}`);
    const token = params.get('pageToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : Number(params.get('startIndex') ?? '0');
    const maxResults = params.get('maxResults') ? Number(params.get('maxResults')) : options.rowsPerResponse;
    send(res, 200, {
      kind: 'bigquery#getQueryResultsResponse',
      etag: randomUUID(),
      schema: { fields: result.fields },
      jobReference: { projectId: project, jobId, location: options.location },
      totalRows: String(result.rows.length),
      ...pageOf(result, start, maxResults),
      totalBytesProcessed: '10485760',
      jobComplete: true,
      cacheHit: false,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  double.close = () => new Promise<void>((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
  return double;
}

function pageOf(result: StoredResult, start: number, maxResults: number | undefined) {
  const end = maxResults ? start + maxResults : result.rows.length;
  const rows = result.rows.slice(start, end).map((row) => ({ f: row.map((value) => ({ v: value })) }));
  return {
    ...(rows.length ? { rows } : {}),
    ...(end < result.rows.length ? { pageToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

function evaluate(query: string, parameters: Parameters, options: BigQueryDoubleOptions, requestLocation: string): StoredResult {
  const statement = /^SELECT ([\s\S]+?)\s+FROM `([^`]+)`\.`region-([a-z0-9-]+)`\.INFORMATION_SCHEMA\.JOBS_BY_PROJECT\s+WHERE ([\s\S]+?)\s+ORDER BY creation_time, job_id\s+LIMIT (\d+)$/.exec(query.trim());
  if (!statement) throw new ApiFailure(400, 'invalidQuery', 'Syntax error: statement not supported by the test double');
  const [, selectList, project, region, where, limit] = statement;
  if (region !== options.location.toLowerCase() || requestLocation.toLowerCase() !== region) {
    throw new ApiFailure(404, 'notFound', `Not found: Dataset ${project}:region-${region} was not found in location ${requestLocation || 'US'}`);
  }

  let remaining = where;
  const tests: Array<(job: JobRecord) => boolean> = [];
  const used = new Set<string>();
  for (const predicate of PREDICATES) {
    if (!predicate.pattern.test(remaining)) continue;
    remaining = remaining.replace(predicate.pattern, '');
    const values = predicate.params.map((name) => {
      const found = parameters[name];
      if (!found) throw new ApiFailure(400, 'invalidQuery', `Query parameter '${name}' not found`);
      used.add(name);
      return String(found.value);
    });
    tests.push((job) => predicate.test(job, values));
  }
  if (remaining.replace(/\bAND\b/g, '').trim() !== '') {
    throw new ApiFailure(400, 'invalidQuery', `The test double does not know the predicate: ${remaining.trim()}`);
  }
  const unused = Object.keys(parameters).filter((name) => !used.has(name));
  if (unused.length) throw new ApiFailure(400, 'invalidQuery', `Unused query parameters: ${unused.join(', ')}`);

  const columns = selectList.split(/,\s*(?![^(]*\))/).map((item) => {
    const aliased = /^([\s\S]+?)\s+AS\s+(\w+)$/i.exec(item.trim());
    const expression = aliased ? aliased[1] : item.trim();
    const value = PROJECTIONS[expression];
    if (!value) throw new ApiFailure(400, 'invalidQuery', `Unrecognized name: ${expression}`);
    return { name: aliased ? aliased[2] : expression, value };
  });

  const jobs = options.jobs
    .filter((job) => job.projectId === project)
    .filter((job) => tests.every((test) => test(job)))
    .sort((a, b) => (micros(a.creationTime) < micros(b.creationTime) ? -1 : micros(a.creationTime) > micros(b.creationTime) ? 1 : a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0))
    .slice(0, Number(limit));
  return {
    fields: columns.map((column) => ({ name: column.name, type: 'STRING', mode: 'NULLABLE' })),
    rows: jobs.map((job) => columns.map((column) => column.value(job))),
  };
}

function namedParameters(raw: unknown): Parameters {
  const parameters: Parameters = {};
  for (const item of Array.isArray(raw) ? raw : []) {
    const { name, parameterType, parameterValue } = item as { name: string; parameterType: { type: string }; parameterValue: { value: unknown } };
    parameters[name] = { type: parameterType.type, value: parameterValue.value };
  }
  return parameters;
}

function authenticate(authorization: string | undefined, serviceAccounts: Record<string, string>): void {
  const unauthenticated = () => new ApiFailure(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw unauthenticated();
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw unauthenticated();
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; exp?: number; scope?: string };
  const publicKey = claims.iss ? serviceAccounts[claims.iss] : undefined;
  const signed = Buffer.from(`${header}.${payload}`);
  if (!publicKey || !verify('RSA-SHA256', signed, publicKey, Buffer.from(signature, 'base64url'))) throw unauthenticated();
  if (!claims.exp || claims.exp * 1000 < Date.now()) throw unauthenticated();
  if (!claims.scope?.split(' ').includes('https://www.googleapis.com/auth/bigquery')) {
    throw new ApiFailure(403, 'accessDenied', 'Request had insufficient authentication scopes.');
  }
}

/** Microseconds since the epoch of an ISO-8601 UTC timestamp with up to six fractional digits. */
function micros(iso: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!match) throw new ApiFailure(400, 'invalidQuery', `Invalid timestamp: '${iso}'`);
  return BigInt(Date.parse(`${match[1]}${match[3]}`) / 1000) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
}

function sixDigitUtc(iso: string): string {
  const total = micros(iso);
  const fraction = (total % 1_000_000n).toString().padStart(6, '0');
  return `${new Date(Number(total / 1_000_000n) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function statusName(status: number): string {
  return ({ 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND' } as Record<number, string>)[status] ?? 'INTERNAL';
}


function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}
