import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the echo answers instead of forwarding: a status, and the request's headers copied into the body. */
export type EchoRule = (request: { method: string; path: string; body: string }) => number | null;

export interface EchoProxy {
  url: string;
  /** Requests answered with an echo. */
  echoed: number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A careless server in front of a real one: requests the rule picks are answered with an error whose body
 * echoes the request's Authorization header, and the bare credential after its scheme, in every field a
 * client might quote ({message}, {reason, details}); the rest are forwarded unchanged. Without a target every
 * request is echoed with the rule's status (or 400).
 */
export async function startEchoProxy(target: string | null, rule: EchoRule = () => 400): Promise<EchoProxy> {
  const base = target ? new URL(target) : null;
  const proxy: EchoProxy = { url: '', echoed: 0, close: async () => undefined };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = request.url ?? '/';
    const status = rule({ method: request.method ?? 'GET', path, body: body.toString('utf8') }) ?? (base ? null : 400);
    if (status !== null) {
      proxy.echoed++;
      const authorization = String(request.headers.authorization ?? '');
      const bare = authorization.replace(/^\S+\s+/, '');
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        code: status,
        message: `request refused; it carried authorization=${authorization} and credential ${bare}`,
        reason: `headers: ${JSON.stringify(request.headers)}`,
        details: `token=${bare}`,
        error_code: 'BAD_REQUEST',
      }));
      return;
    }
    const forwarded = httpRequest({
      host: base!.hostname, port: base!.port, method: request.method, path: `${base!.pathname.replace(/\/$/, '')}${path}`,
      headers: { ...request.headers, host: base!.host },
    }, (upstream) => {
      response.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(response);
    });
    forwarded.on('error', () => { response.writeHead(502); response.end(); });
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return proxy;
}
