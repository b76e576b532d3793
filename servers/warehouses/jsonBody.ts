import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** A request's JSON body (gzip-encoded or not, as the cloud SDKs send it); {} when empty. */
export function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      try {
        let raw = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        resolve(raw.length ? JSON.parse(raw.toString('utf8')) : {});
      } catch (error) {
        reject(error);
      }
    });
  });
}
