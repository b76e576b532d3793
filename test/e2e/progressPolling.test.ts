import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, test } from 'node:test';
import { pollEvery, retryAfterWaitOf } from '../../client/progressPolling';
import { progressLine } from '../../client/summary';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';

// The CLI polls the run's progress every few seconds for as long as it lasts, through the real Temporal client.

let address: string;
before(async () => { ({ address } = await suiteTemporal()); });
after(() => stopSuiteTemporal());

test('hundreds of polls through the Temporal client leave no abort listener behind and raise no warning', async () => {
  const { client, close } = await temporalClient(address);
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    // No worker listens on this queue: the run stays open and can be described.
    const handle = await client.workflow.start('hexIngestion', { taskQueue: `no-worker-${process.pid}`, workflowId: `poll-${process.pid}-${Date.now()}`, args: [{}] });
    const signals: AbortSignal[] = [];
    let answered = 0;
    const polling = pollEvery(2, (signal) => {
      signals.push(signal);
      return client.withAbortSignal(signal, () => handle.describe());
    }, () => { answered++; });
    while (answered < 200) await new Promise((resolve) => setTimeout(resolve, 10));
    await polling.stop();
    assert.equal(polling.active, 0);
    // Each poll's signal carried the client's listener only while that poll was in flight, and is dropped.
    assert.ok(signals.every((signal) => getEventListeners(signal, 'abort').length <= 1));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((name) => name === 'MaxListenersExceededWarning'), []);
    await handle.terminate('test done');
  } finally {
    process.off('warning', onWarning);
    await close();
  }
});

test('stop aborts the poll in flight and waits for it', async () => {
  let aborted = false;
  const polling = pollEvery(5, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('aborted')); })), () => undefined);
  while (polling.active === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await polling.stop();
  assert.ok(aborted);
  assert.equal(polling.active, 0);
});

test("the progress line shows a wait imposed by Hex's Retry-After, with the time it ends", () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  const at = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });
  const hexLimited = { lastFailure: { message: 'Hex answered 429 to GET /projects: Too many requests', applicationFailureInfo: { type: 'RateLimited' } }, nextAttemptScheduleTime: at(now + 90_000) };
  const omLimited = { lastFailure: { message: 'OpenMetadata answered 503 to PUT /dashboards/bulk', applicationFailureInfo: { type: 'RateLimited' } }, nextAttemptScheduleTime: at(now + 300_000) };
  const crashed = { lastFailure: { message: 'activity Heartbeat timeout', applicationFailureInfo: null }, nextAttemptScheduleTime: at(now + 1_000) };
  const until = retryAfterWaitOf([crashed, omLimited, hexLimited], now);
  assert.equal(until?.getTime(), now + 90_000);
  assert.equal(retryAfterWaitOf([crashed, omLimited], now), null);
  assert.equal(retryAfterWaitOf([{ ...hexLimited, nextAttemptScheduleTime: at(now - 1_000) }], now), null, 'a wait already over');
  const summary = { phase: 'dashboards', pagesRead: 3, projectsSeen: 300, projectsFiltered: 0, dashboardsCreated: 300, dashboardsUpdated: 0, dashboardsUnchanged: 0, failuresTotal: 0 } as never;
  assert.match(progressLine(summary, until), new RegExp(`waiting on Hex's Retry-After until ${until!.toTimeString().slice(0, 8)}$`));
  assert.doesNotMatch(progressLine(summary), /Retry-After/);
});
