import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../activities/common/httpErrors';
import { retryTransient } from '../../activities/common/retry';
import { SlidingWindowLimiter } from '../../activities/hex/rateLimiter';
import { waitText } from '../../workflows/visibility';

/* The waits on Hex a run can be told of: Retry-After (waited in place or by the activity's retry) and the rate limit's pacing. */

const budget = { maxTries: 3, baseBackoffMs: 1, maxBackoffMs: 2, maxInPlaceWaitMs: 5_000 };

test('each Retry-After is told before it is waited, also the one left to the activity retry; backoffs without one are not', async () => {
  const told: number[] = [];
  const slept: number[] = [];
  const answers = [new ServiceError('Hex', 503, 'busy'), new ServiceError('Hex', 429, 'slow down', 3_000), new ServiceError('Hex', 429, 'slow down', 4_000)];
  await assert.rejects(retryTransient(async () => { throw answers.shift()!; }, {
    budget, maxRetryAfterMs: 60_000, sleep: async (ms) => { slept.push(ms); }, onRetryAfter: (ms) => told.push(ms),
  }), /slow down/);
  assert.deepEqual(told, [3_000, 4_000], 'the last one is waited by the activity retry (nextRetryDelay)');
  assert.equal(slept.length, 2);
  assert.equal(slept[1], 3_000);
});

test('the limiter tells of a wait for a slot, not of a free one', async () => {
  const limiter = new SlidingWindowLimiter(1, 300);
  const waits: number[] = [];
  await limiter.acquire((ms) => waits.push(ms));
  assert.equal(waits.length, 0, "a free slot is no wait");
  const started = Date.now();
  await limiter.acquire((ms) => waits.push(ms));
  assert.equal(waits.length, 1);
  assert.ok(waits[0] > 0 && waits[0] <= 301);
  assert.ok(Date.now() - started >= waits[0] - 5);
});

test('the current details name the wait and its end while it lasts, nothing after', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.equal(waitText({ reason: 'Retry-After', until: '2026-03-01T12:00:06.400Z' }, now), " · waiting on Hex's Retry-After until 12:00:06 UTC");
  assert.equal(waitText({ reason: 'rate limit', until: '2026-03-01T12:00:40Z' }, now), " · waiting on Hex's rate limit until 12:00:40 UTC");
  assert.equal(waitText({ reason: 'Retry-After', until: '2026-03-01T11:59:59Z' }, now), '');
  assert.equal(waitText({ reason: 'Retry-After', until: 'not a time' }, now), '');
  assert.equal(waitText(undefined, now), '');
});
