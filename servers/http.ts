// Plumbing shared by the local test servers: listening, request recording, fault injection, JSON replies.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Repeated keys become arrays, single keys stay strings. */
  query: Record<string, string | string[]>;
  /** Lower-case header names; the Authorization value is replaced so tokens never leak into assertions or logs. */
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  /** Status answered; 0 when the connection was reset instead. */
  status: number;
  /** When the request arrived (ms since the epoch). */
  receivedAt: number;
  /** When an injected delay held the request: from and to (ms since the epoch). */
  heldBack?: { from: number; to: number };
}

export interface Fault {
  /** Substring of the path (string) or a pattern tested against the path; absent matches every request. */
  path?: string | RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  times: number;
  resetConnection?: boolean;
  /** Waits this long first; without status or reset the request is then served normally. */
  delayMs?: number;
}

export interface IncomingCall {
  method: string;
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Undefined when the body is empty; `bodyIsInvalidJson` tells when JSON parsing failed. */
  body: unknown;
  bodyIsInvalidJson: boolean;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (call: IncomingCall) => Reply | Promise<Reply>;

export const REDACTED = '<redacted>';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function queryToRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function recordHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): { body: unknown; invalid: boolean } {
  if (raw.length === 0) return { body: undefined, invalid: false };
  try {
    return { body: JSON.parse(raw), invalid: false };
  } catch {
    return { body: raw, invalid: true };
  }
}

function pathMatches(matcher: Fault['path'], path: string): boolean {
  if (matcher === undefined) return true;
  return typeof matcher === 'string' ? path.includes(matcher) : matcher.test(path);
}

/** Holds pending faults; each matching request consumes one use. */
export class FaultQueue {
  private readonly faults: Fault[] = [];

  add(fault: Fault): void {
    if (!(fault.times > 0)) throw new Error('fault.times must be a positive number');
    this.faults.push({ ...fault });
  }

  take(path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && pathMatches(f.path, path));
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times === 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }
}

export interface JsonServer {
  url: string;
  requests: RecordedRequest[];
  faults: FaultQueue;
  close(): Promise<void>;
}

function sendReply(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload = '';
  if (reply.body !== undefined) {
    if (typeof reply.body === 'string' && headers['Content-Type']) payload = reply.body;
    else {
      payload = JSON.stringify(reply.body);
      headers['Content-Type'] ??= 'application/json';
    }
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Starts an HTTP server on 127.0.0.1 with a free port; every request is recorded and may be faulted. */
export async function startJsonServer(handler: Handler, options: { latencyMs?: number } = {}): Promise<JsonServer> {
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
  const sockets = new Set<Socket>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    const { body, invalid } = parseBody(rawBody);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryToRecord(url.searchParams),
      headers: recordHeaders(req.headers),
      body,
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(record);
    try {
      if (options.latencyMs) await sleep(options.latencyMs);
      const fault = faults.take(url.pathname);
      if (fault?.delayMs) {
        const from = Date.now();
        await sleep(fault.delayMs);
        record.heldBack = { from, to: Date.now() };
      }
      if (fault?.resetConnection) {
        req.socket.destroy();
        return;
      }
      const reply: Reply =
        fault?.status !== undefined
          ? { status: fault.status, body: fault.body, headers: fault.headers }
          : await handler({ method: record.method, path: url.pathname, url, headers: req.headers, rawBody, body, bodyIsInvalidJson: invalid });
      record.status = reply.status;
      sendReply(res, reply);
    } catch (error) {
      record.status = 500;
      sendReply(res, { status: 500, body: { code: 500, message: `test server failure: ${(error as Error).message}` } });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Opaque cursor text: base64url without padding, like the real services hand out. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(`v2:${JSON.stringify(value)}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): unknown {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v2:')) throw new Error('bad cursor');
  return JSON.parse(text.slice(3));
}
