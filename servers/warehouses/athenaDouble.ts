import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Athena API (AWS JSON 1.1: `POST /`, `X-Amz-Target: AmazonAthena.<Operation>`).
 * Every request must carry a valid SigV4 signature for the configured key pair, scoped to the configured
 * region and the `athena` service; the signature is recomputed here, so a wrong secret is caught the way
 * AWS catches it. Serves ListQueryExecutions (newest first, NextToken paging, at most 50) and
 * BatchGetQueryExecution (at most 50 ids) over an in-memory list of executions.
 */

export interface AthenaExecution {
  id: string;
  query: string;
  workGroup: string;
  /** ISO-8601 instant. */
  submitted: string;
  state?: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'RUNNING' | 'QUEUED';
  catalog?: string;
  database?: string;
}

export interface AthenaDoubleOptions {
  executions: AthenaExecution[];
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface RecordedCall { operation: string; input: Record<string, unknown>; credentialScope: string }

class AwsError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

const MAX_PAGE = 50;

export class AthenaDouble {
  readonly calls: RecordedCall[] = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  constructor(private readonly options: AthenaDoubleOptions) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const credentialScope = this.verifySignature(req, body);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonAthena.') ? target.slice('AmazonAthena.'.length) : '';
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      this.calls.push({ operation, input, credentialScope });
      const output = operation === 'ListQueryExecutions' ? this.list(input)
        : operation === 'BatchGetQueryExecution' ? this.batchGet(input)
          : (() => { throw new AwsError('UnknownOperationException', `Unknown operation ${target}`); })();
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': 'double' });
      res.end(JSON.stringify(output));
    } catch (error) {
      const failure = error instanceof AwsError ? error : new AwsError('InternalServerException', String(error), 500);
      res.writeHead(failure.status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': failure.type });
      res.end(JSON.stringify({ __type: failure.type, message: failure.message }));
    }
  }

  private list(input: Record<string, unknown>): Record<string, unknown> {
    const maxResults = input.MaxResults === undefined ? MAX_PAGE : Number(input.MaxResults);
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE) {
      throw new AwsError('InvalidRequestException', `MaxResults must be between 0 and ${MAX_PAGE}`);
    }
    const workGroup = typeof input.WorkGroup === 'string' ? input.WorkGroup : 'primary';
    const ids = this.options.executions
      .filter((execution) => execution.workGroup === workGroup)
      .sort((a, b) => Date.parse(b.submitted) - Date.parse(a.submitted))
      .map((execution) => execution.id);
    const offset = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new AwsError('InvalidRequestException', 'Invalid NextToken');
    const page = ids.slice(offset, offset + maxResults);
    const more = offset + maxResults < ids.length;
    return {
      QueryExecutionIds: page,
      ...(more ? { NextToken: Buffer.from(String(offset + maxResults)).toString('base64') } : {}),
    };
  }

  private batchGet(input: Record<string, unknown>): Record<string, unknown> {
    const ids = Array.isArray(input.QueryExecutionIds) ? input.QueryExecutionIds as string[] : [];
    if (ids.length < 1 || ids.length > MAX_PAGE) {
      throw new AwsError('InvalidRequestException', `QueryExecutionIds must hold 1 to ${MAX_PAGE} ids`);
    }
    const known = new Map(this.options.executions.map((execution) => [execution.id, execution]));
    return {
      QueryExecutions: ids.filter((id) => known.has(id)).map((id) => {
        const execution = known.get(id)!;
        return {
          QueryExecutionId: id,
          Query: execution.query,
          StatementType: 'DML',
          WorkGroup: execution.workGroup,
          QueryExecutionContext: { Catalog: execution.catalog, Database: execution.database },
          // AWS JSON protocols send timestamps as epoch seconds.
          Status: { State: execution.state ?? 'SUCCEEDED', SubmissionDateTime: Date.parse(execution.submitted) / 1000 },
        };
      }),
      UnprocessedQueryExecutionIds: ids.filter((id) => !known.has(id))
        .map((id) => ({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Query execution not found' })),
    };
  }

  /** Recomputes the SigV4 signature; answers as AWS does when the key is unknown or the signature differs. */
  private verifySignature(req: http.IncomingMessage, body: Buffer): string {
    const authorization = req.headers.authorization;
    if (!authorization) throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
      .exec(authorization);
    if (!match) throw new AwsError('IncompleteSignatureException', 'Authorization header is not a SigV4 signature');
    const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
    if (accessKeyId !== this.options.accessKeyId) {
      throw new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (service !== 'athena' || region !== this.options.region) {
      throw new AwsError('InvalidSignatureException', `Credential should be scoped to ${this.options.region}/athena, not ${region}/${service}`);
    }
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const canonicalHeaders = signedHeaders.split(';')
      .map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const url = new URL(req.url ?? '/', 'http://double');
    const canonicalRequest = [req.method, url.pathname, url.searchParams.toString(), canonicalHeaders, signedHeaders,
      sha256(body)].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    let key: Buffer = hmac(`AWS4${this.options.secretAccessKey}`, date);
    for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
    if (hmac(key, stringToSign).toString('hex') !== signature) {
      throw new AwsError('InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    }
    return scope;
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
