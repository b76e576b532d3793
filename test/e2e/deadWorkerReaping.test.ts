import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { Log, LogSink } from '../../activities/common/log';
import { reapDeadWorkers, startReaping, workerIdentity } from '../../worker/reapDeadWorkers';
import { slowStepActivities } from '../support/deadWorker/activities';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';

const FIXTURE = join(__dirname, '..', 'support', 'deadWorker');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let address: string;
let bundleFile: string;
let bundleCode: string;

before(async () => {
  ({ address } = await suiteTemporal());
  ({ code: bundleCode } = await bundleWorkflowCode({ workflowsPath: require.resolve('../support/deadWorker/workflows') }));
  bundleFile = join(mkdtempSync(join(tmpdir(), 'hexmeta-reap-')), 'workflows.js');
  writeFileSync(bundleFile, bundleCode);
});

after(() => stopSuiteTemporal());

/** A worker in a child process whose first attempt of the activity hangs, heartbeating. */
async function hangingWorker(taskQueue: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURE, 'worker.ts'), address, taskQueue, bundleFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('polling task queue')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
  return { child, exited };
}

/** Waits until the worker with `pid` has started the workflow's activity; its identity. */
async function startedBy(handle: WorkflowHandle, pid: number): Promise<string> {
  const identity = workerIdentity(pid, hostname());
  for (let i = 0; ; i++) {
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    if (pending.some((a) => a.lastWorkerIdentity === identity && a.state === 2)) return identity;
    assert.ok(i < 200, 'the child worker started the activity');
    await sleep(100);
  }
}

test('a SIGKILLed worker\'s activity is retried by the next worker long before its heartbeat timeout', { timeout: 120_000 }, async () => {
  const taskQueue = `reap-${process.pid}-${Date.now()}`;
  const { client, close } = await temporalClient(address);
  const { child, exited } = await hangingWorker(taskQueue);
  const lines: string[] = [];
  const log = new Log(new LogSink('text', (line) => lines.push(line)), 'INFO');
  try {
    const handle = await client.workflow.start('slowStepWorkflow', { taskQueue, workflowId: `reap-${Date.now()}` });
    const deadIdentity = await startedBy(handle, child.pid!);
    assert.deepEqual(await reapDeadWorkers({ client, taskQueue, log }), [], 'a live worker\'s attempt is left alone');
    assert.deepEqual(await reapDeadWorkers({ client, taskQueue: `${taskQueue}-other`, log }), [], 'other task queues are not looked at');

    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const connection = await NativeConnection.connect({ address });
    try {
      const worker = await Worker.create({
        connection, taskQueue, identity: workerIdentity(),
        workflowBundle: { code: bundleCode }, activities: slowStepActivities({ hang: false, identity: workerIdentity() }),
      });
      const reaping = startReaping({ client, taskQueue, log, env: {} });
      const result = await worker.runUntil(handle.result());
      await reaping.stop();
      const seconds = (Date.now() - killedAt) / 1000;
      assert.deepEqual(result, { attempt: 2, identity: workerIdentity() });
      // Heartbeat timeout 90 s and retry backoff 60 s: without reaping the second attempt starts after 90 s.
      assert.ok(seconds < 30, `retried ${seconds.toFixed(1)} s after the kill`);
    } finally {
      await connection.close();
    }
    const reaped = lines.filter((line) => line.includes(`worker ${deadIdentity} is gone`));
    assert.equal(reaped.length, 1, lines.join('\n'));
    assert.match(reaped[0], /retrying activity slowStep \(1, attempt 1\) of workflow reap-/);
    // A retried attempt's failure is kept as the last failure of the attempt that completed.
    const started = (await handle.fetchHistory()).events!.find((e) => e.activityTaskStartedEventAttributes);
    assert.equal(started?.activityTaskStartedEventAttributes?.attempt, 2);
    assert.equal(started?.activityTaskStartedEventAttributes?.lastFailure?.message, `worker ${deadIdentity} is gone`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await close();
  }
});

test('a worker beside one that dies retries its activity within a second or two, its workflow task unhindered', { timeout: 120_000 }, async () => {
  const taskQueue = `reap-watch-${process.pid}-${Date.now()}`;
  const { client, close } = await temporalClient(address);
  const { child, exited } = await hangingWorker(taskQueue);
  const lines: string[] = [];
  const log = new Log(new LogSink('text', (line) => lines.push(line)), 'INFO');
  const connection = await NativeConnection.connect({ address });
  try {
    const handle = await client.workflow.start('slowStepWorkflow', { taskQueue, workflowId: `reap-watch-${Date.now()}` });
    const deadIdentity = await startedBy(handle, child.pid!);
    // Running beside the child before it dies; the periodic pass is a minute away, so only the watch can react.
    const worker = await Worker.create({
      connection, taskQueue, identity: workerIdentity(),
      workflowBundle: { code: bundleCode }, activities: slowStepActivities({ hang: false, identity: workerIdentity() }),
    });
    const reaping = startReaping({ client, taskQueue, log, env: {}, everyMs: 60_000, siblingRefreshMs: 500 });
    try {
      const result = worker.runUntil(handle.result());
      await sleep(2_000); // the first pass is done and the child is known as a sibling
      assert.equal(lines.filter((line) => line.includes('is gone')).length, 0, 'nothing reaped while the child lives');
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      assert.deepEqual(await result, { attempt: 2, identity: workerIdentity() });
      const seconds = (Date.now() - killedAt) / 1000;
      assert.ok(seconds < 5, `retried ${seconds.toFixed(1)} s after the kill`);
    } finally {
      await reaping.stop();
    }
    assert.equal(lines.filter((line) => line.includes(`worker ${deadIdentity} is gone`)).length, 1, lines.join('\n'));
    // The workflow was sticky to the child: its next task went to the live worker without waiting for the dead one.
    const events = (await handle.fetchHistory()).events ?? [];
    assert.deepEqual(events.filter((e) => e.workflowTaskTimedOutEventAttributes).map((e) => e.eventId?.toString()), [], 'no workflow task timed out');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await connection.close();
    await close();
  }
});

test('HEXMETA_REAP_DEAD_WORKERS=false turns reaping off', async () => {
  const { client, close } = await temporalClient(address);
  let listed = 0;
  const counting = new Proxy(client, {
    get: (target, key) => (key === 'workflow'
      ? new Proxy(target.workflow, { get: (w, k) => (k === 'list' ? (...args: any[]) => { listed++; return (w.list as any)(...args); } : (w as any)[k]) })
      : (target as any)[key]),
  });
  try {
    await startReaping({ client: counting, taskQueue: 'reap-off', env: { HEXMETA_REAP_DEAD_WORKERS: 'false' } }).stop();
    assert.equal(listed, 0);
    await startReaping({ client: counting, taskQueue: 'reap-off', env: {} }).stop();
    assert.equal(listed, 1);
  } finally {
    await close();
  }
});
