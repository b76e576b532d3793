import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServiceError } from '../../activities/common/httpErrors';
import { jitteredBackoff, retryTransient, RetryAfterTooLong } from '../../activities/common/retry';
import { HexClient } from '../../activities/hex/client';
import { SlidingWindowLimiter } from '../../activities/hex/rateLimiter';
import { makeWorkspace, startHexServer, type HexServer } from '../../servers/hexServer';

// Each Hex request retries transient failures in place, within a budget, before its error reaches the activity.

const TOKEN = 'hex-retry-test-token';
const PROJECTS = '/api/v1/projects';
let hex: HexServer;

before(async () => {
  hex = await startHexServer({ projects: makeWorkspace(30, 5), tokens: { [TOKEN]: { kind: 'workspace' } } });
});
after(() => hex?.close());

const fastBudget = { maxTries: 5, baseBackoffMs: 5, maxBackoffMs: 20, maxInPlaceWaitMs: 2_000 };
function client(extra: Partial<ConstructorParameters<typeof HexClient>[0]> = {}) {
  return new HexClient({ hostPort: hex.url, token: TOKEN, limiter: new SlidingWindowLimiter(10_000), retryBudget: fastBudget, timeoutMs: 2_000, ...extra });
}
const projectCalls = (from: number) => hex.requests.slice(from).filter((r) => r.path === PROJECTS).map((r) => r.status);

describe('Hex requests retry transient failures in place', () => {
  it('500, 502, 503 and a reset in a row end in the page, one request each', async () => {
    for (const fault of [{ status: 500 }, { status: 502 }, { status: 503 }, { resetConnection: true }]) hex.injectFault({ path: PROJECTS, times: 1, ...fault });
    const from = hex.requests.length;
    const page = await client().listProjects(null);
    assert.ok(page.values.length > 0);
    assert.deepEqual(projectCalls(from), [500, 502, 503, 0, 200]);
  });

  it('a response slower than the timeout is abandoned and asked again', async () => {
    hex.injectFault({ path: PROJECTS, delayMs: 600, times: 1 });
    const from = hex.requests.length;
    const page = await client({ timeoutMs: 300 }).listProjects(null);
    assert.ok(page.values.length > 0);
    assert.equal(projectCalls(from).length, 2);
  });

  it('a 429 waits its Retry-After in place and is not counted as an error', async () => {
    hex.injectFault({ path: PROJECTS, status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const from = hex.requests.length;
    const started = Date.now();
    await client().listProjects(null);
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.deepEqual(projectCalls(from), [429, 200]);
  });

  it('when the budget is spent, the last error (with its Retry-After) goes to the activity', async () => {
    hex.injectFault({ path: PROJECTS, status: 500, times: 5 });
    const from = hex.requests.length;
    await assert.rejects(client().listProjects(null), (error: unknown) => error instanceof ServiceError && error.status === 500);
    assert.equal(projectCalls(from).length, 5, "five tries, then the error");

    hex.injectFault({ path: PROJECTS, status: 429, headers: { 'Retry-After': '3' }, times: 1 });
    await assert.rejects(client().listProjects(null), (error: unknown) => error instanceof ServiceError && error.retryAfterMs === 3_000,
      'a Retry-After longer than the in-place budget is left to the activity retry');
  });

  it('a Retry-After above the cap fails at once with the server message, and no request is sent after it', async () => {
    hex.injectFault({ path: PROJECTS, status: 429, headers: { 'Retry-After': '86400' }, body: { reason: 'Too many requests', details: 'daily quota spent' }, times: 1 });
    const from = hex.requests.length;
    await assert.rejects(client({ maxRetryAfterMs: 15 * 60_000 }).listProjects(null), (error: unknown) => {
      assert.ok(error instanceof RetryAfterTooLong);
      assert.match(error.message, /Hex asked to wait 86400 s \(Retry-After\), more than the 900 s .*hexMaxRetryAfterSeconds.*daily quota spent/);
      return true;
    });
    assert.deepEqual(projectCalls(from), [429]);
  });

  it('errors that are not transient are not retried', async () => {
    hex.injectFault({ path: PROJECTS, status: 400, body: { reason: 'bad' }, times: 1 });
    const from = hex.requests.length;
    await assert.rejects(client().listProjects(null), (error: unknown) => error instanceof ServiceError && error.status === 400);
    assert.deepEqual(projectCalls(from), [400]);
    const wrong = new HexClient({ hostPort: hex.url, token: 'wrong', limiter: new SlidingWindowLimiter(10_000), retryBudget: fastBudget });
    const authFrom = hex.requests.length;
    await assert.rejects(wrong.listProjects(null), (error: unknown) => error instanceof ServiceError && error.status === 401);
    assert.equal(projectCalls(authFrom).length, 1, 'a wrong token fails fast');
  });
});

describe('retry helper', () => {
  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    assert.equal(jitteredBackoff(0, 100, 1_000, () => 0), 50);
    assert.equal(jitteredBackoff(0, 100, 1_000, () => 1), 100);
    assert.equal(jitteredBackoff(3, 100, 1_000, () => 0.5), 600);
    assert.equal(jitteredBackoff(10, 100, 1_000, () => 1), 1_000);
  });

  it('stops at the in-place wait budget', async () => {
    const waits: number[] = [];
    let tries = 0;
    const failing = async () => { tries++; throw new ServiceError('Hex', 503, 'down'); };
    await assert.rejects(retryTransient(failing, {
      budget: { maxTries: 100, baseBackoffMs: 100, maxBackoffMs: 100, maxInPlaceWaitMs: 350 },
      maxRetryAfterMs: 1_000, random: () => 1, sleep: async (ms) => { waits.push(ms); },
    }), /down/);
    assert.deepEqual(waits, [100, 100, 100]);
    assert.equal(tries, 4);
  });
});
