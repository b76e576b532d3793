import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ServiceError } from '../../activities/common/httpErrors';
import { ConfigError } from '../../activities/config/errors';
import { OpenMetadataClient } from '../../activities/openmetadata/client';
import { DEFAULT_OPENMETADATA_CONCURRENCY, gateFor, openMetadataConcurrency, RequestGate } from '../../activities/openmetadata/gate';

/*
 * The OpenMetadata client's gate against a real local HTTP server that holds requests, counts those in flight
 * on its side, and answers what each test scripts (200, 429/503 with or without Retry-After, 400).
 */

interface Answer {
  status: number;
  headers?: Record<string, string>;
  holdMs?: number;
}

interface Arrival {
  at: number;
  /** Requests in flight at the server when this one arrived (itself included). */
  inFlight: number;
  status: number;
}

let server: http.Server;
let url: string;
let script: (n: number) => Answer = () => ({ status: 200 });
let arrivals: Arrival[] = [];
let inFlight = 0;

before(async () => {
  server = http.createServer((req, res) => {
    inFlight++;
    const answer = script(arrivals.length);
    arrivals.push({ at: performance.now(), inFlight, status: answer.status });
    req.resume();
    setTimeout(() => {
      inFlight--;
      const body = answer.status === 200 ? { version: '1.12.6' } : { code: answer.status, message: `scripted ${answer.status}` };
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...(answer.headers ?? {}) });
      res.end(JSON.stringify(body));
    }, answer.holdMs ?? 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A fresh script and arrival log, and a client whose requests pass through `gate`. */
function serve(gate: RequestGate, answer: (n: number) => Answer): OpenMetadataClient {
  script = answer;
  arrivals = [];
  return new OpenMetadataClient({ hostPort: url, jwtToken: 'not-a-real-token', gate });
}

const quickBackoff = { baseBackoffMs: 10, maxBackoffMs: 40 };
const peak = (list: Arrival[]) => Math.max(0, ...list.map((a) => a.inFlight));

test('requests in flight never exceed the limit, and the limit is used', async () => {
  const gate = new RequestGate({ maxConcurrency: 4 });
  const client = serve(gate, () => ({ status: 200, holdMs: 30 }));
  const versions = await Promise.all(Array.from({ length: 40 }, () => client.version()));
  assert.equal(versions.length, 40);
  assert.equal(arrivals.length, 40);
  assert.equal(peak(arrivals), 4);
  assert.equal(gate.active, 0);
});

test('503s halve the concurrency once per burst; successes bring it back one at a time', async () => {
  const gate = new RequestGate({ maxConcurrency: 8, growAfterSuccesses: 4, ...quickBackoff });
  // The first eight arrive together and are all answered 503: one congestion event, not eight.
  const client = serve(gate, (n) => (n < 8 ? { status: 503, headers: { 'Retry-After': '0' }, holdMs: 40 } : { status: 200, holdMs: 30 }));
  await Promise.all(Array.from({ length: 8 }, () => client.version()));
  assert.equal(peak(arrivals.slice(0, 8)), 8);
  // The eight retries ran under the halved limit (and success grew it back by at most 2 meanwhile).
  assert.ok(peak(arrivals.slice(8)) <= 5, `retries in flight: ${peak(arrivals.slice(8))}`);
  assert.ok(gate.concurrency < 8 && gate.concurrency >= 4, `after the burst: ${gate.concurrency}`);

  // 4 successes per step: from 4 to 8 takes 16, so after 40 more the limit is whole again and used.
  await Promise.all(Array.from({ length: 40 }, () => client.version()));
  assert.equal(gate.concurrency, 8);
  const late = serve(gate, () => ({ status: 200, holdMs: 30 }));
  await Promise.all(Array.from({ length: 16 }, () => late.version()));
  assert.equal(peak(arrivals), 8);
});

test('bursts in a row shrink the concurrency down to one, never below', async () => {
  const gate = new RequestGate({ maxConcurrency: 8, growAfterSuccesses: 1_000, maxRetries: 6, ...quickBackoff });
  // Every request alone answered 503 six times in a row, then 200: each answer is a new congestion event.
  const client = serve(gate, (n) => (n < 6 ? { status: 503, holdMs: 5 } : { status: 200, holdMs: 5 }));
  assert.equal(await client.version(), '1.12.6');
  assert.equal(arrivals.length, 7);
  assert.equal(gate.concurrency, 1);
  const burst = serve(gate, () => ({ status: 200, holdMs: 20 }));
  await Promise.all(Array.from({ length: 6 }, () => burst.version()));
  assert.equal(peak(arrivals), 1);
});

test("a 429's Retry-After is waited out before the request is sent again", async () => {
  const gate = new RequestGate({ maxConcurrency: 4 });
  const client = serve(gate, (n) => (n === 0 ? { status: 429, headers: { 'Retry-After': '1' }, holdMs: 1 } : { status: 200, holdMs: 1 }));
  assert.equal(await client.version(), '1.12.6');
  assert.deepEqual(arrivals.map((a) => a.status), [429, 200]);
  const gap = arrivals[1].at - arrivals[0].at;
  assert.ok(gap >= 1_000 && gap < 2_500, `gap ${gap.toFixed(0)} ms`);
});

test('without Retry-After a 429 backs off exponentially; after the last retry the error reaches the caller', async () => {
  const gate = new RequestGate({ maxConcurrency: 4, maxRetries: 3, baseBackoffMs: 100, maxBackoffMs: 1_000 });
  const client = serve(gate, () => ({ status: 429, holdMs: 1 }));
  await assert.rejects(client.version(), (error: unknown) => error instanceof ServiceError && error.status === 429);
  assert.equal(arrivals.length, 4, 'one try and three retries');
  const gaps = arrivals.slice(1).map((a, i) => a.at - arrivals[i].at);
  // Half fixed, half jitter: 100 * 2^attempt / 2 at least, 100 * 2^attempt at most (plus the round trip).
  gaps.forEach((gap, attempt) => {
    const ceiling = 100 * 2 ** attempt;
    assert.ok(gap >= ceiling / 2 - 5 && gap < ceiling + 150, `gap ${attempt}: ${gap.toFixed(0)} ms`);
  });
});

test('waits beyond the in-place budget go to the caller, with the delay the server asked for', async () => {
  const gate = new RequestGate({ maxConcurrency: 4, maxInPlaceWaitMs: 2_500 });
  const client = serve(gate, () => ({ status: 503, headers: { 'Retry-After': '120' }, holdMs: 1 }));
  await assert.rejects(client.version(), (error: unknown) => error instanceof ServiceError && error.status === 503 && error.retryAfterMs === 120_000);
  assert.equal(arrivals.length, 1, 'a long Retry-After is not waited out in place');

  // The budget counts all the waits of one request: two 1 s waits fit in 2.5 s, a third does not.
  const patient = serve(gate, () => ({ status: 429, headers: { 'Retry-After': '1' }, holdMs: 1 }));
  await assert.rejects(patient.version(), (error: unknown) => error instanceof ServiceError && error.status === 429 && error.retryAfterMs === 1_000);
  assert.equal(arrivals.length, 3);
});

test('a 400 (and any answer but 429 and 503) is not retried and leaves the concurrency alone', async () => {
  for (const status of [400, 404, 409, 500]) {
    const gate = new RequestGate({ maxConcurrency: 4, ...quickBackoff });
    const client = serve(gate, () => ({ status, holdMs: 1 }));
    await assert.rejects(client.version(), (error: unknown) => error instanceof ServiceError && error.status === status);
    assert.equal(arrivals.length, 1, `${status} sent once`);
    assert.equal(gate.concurrency, 4);
    assert.equal(gate.active, 0);
  }
});

test('one gate per OpenMetadata server in the process; the concurrency comes from HEXMETA_OPENMETADATA_CONCURRENCY', () => {
  assert.equal(gateFor('http://om.example:8585/api'), gateFor('http://om.example:8585/api/'));
  assert.notEqual(gateFor('http://om.example:8585/api'), gateFor('http://other.example:8585/api'));
  assert.equal(gateFor('http://om.example:8585/api', 3).concurrency, 3);
  assert.equal(openMetadataConcurrency({}), DEFAULT_OPENMETADATA_CONCURRENCY);
  assert.equal(openMetadataConcurrency({ HEXMETA_OPENMETADATA_CONCURRENCY: '4' }), 4);
  for (const bad of ['0', '-2', '2.5', 'many']) {
    assert.throws(() => openMetadataConcurrency({ HEXMETA_OPENMETADATA_CONCURRENCY: bad }), ConfigError);
  }
});
