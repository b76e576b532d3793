import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadLocalWorker, pidOnHost, processAlive, runningOnTaskQueue, workerIdentity } from '../../worker/reapDeadWorkers';
import { liveSiblings, SiblingSet } from '../../worker/siblingWatch';

const STARTED = 2;
const SCHEDULED = 1;
const check = { host: 'box-1', ownPid: 100, isAlive: (pid: number) => pid === 200 };

test('worker identity is <pid>@<hostname>, read back only for this host', () => {
  assert.equal(workerIdentity(42, 'box-1'), '42@box-1');
  assert.equal(pidOnHost('42@box-1', 'box-1'), 42);
  assert.equal(pidOnHost('42@box-2', 'box-1'), null);
  assert.equal(pidOnHost('42@box-1.example.com', 'box-1'), null);
  assert.equal(pidOnHost('worker-a', 'box-1'), null);
  assert.equal(pidOnHost('0@box-1', 'box-1'), null);
  assert.equal(pidOnHost(undefined, 'box-1'), null);
});

test('only a started attempt of a dead process of this host, not ours, is reaped', () => {
  assert.equal(deadLocalWorker({ state: STARTED, lastWorkerIdentity: '300@box-1' }, check), 300);
  assert.equal(deadLocalWorker({ state: STARTED, lastWorkerIdentity: '200@box-1' }, check), null, 'alive');
  assert.equal(deadLocalWorker({ state: STARTED, lastWorkerIdentity: '100@box-1' }, check), null, 'our own pid');
  assert.equal(deadLocalWorker({ state: STARTED, lastWorkerIdentity: '300@box-2' }, check), null, 'another host');
  assert.equal(deadLocalWorker({ state: SCHEDULED, lastWorkerIdentity: '300@box-1' }, check), null, 'waiting for a worker');
});

test('process liveness: this process is alive, an exited child is not', async () => {
  assert.equal(processAlive(process.pid), true);
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(processAlive(child.pid!), false);
});

test('the visibility query names the task queue, quotes escaped', () => {
  assert.equal(runningOnTaskQueue('hexmeta'), "ExecutionStatus='Running' AND TaskQueue='hexmeta'");
  assert.equal(runningOnTaskQueue("a'b"), "ExecutionStatus='Running' AND TaskQueue='a\\'b'");
});

test('siblings are this host\'s live pollers other than this process, each once', () => {
  const identities = ['200@box-1', '200@box-1', '300@box-1', '100@box-1', '200@box-2', 'worker-a', null];
  assert.deepEqual(liveSiblings(identities, { host: 'box-1', ownPid: 100, isAlive: (pid) => pid === 200 }), [200]);
});

test('a sibling is reported dead once, when it stops being alive; the live ones stay watched', () => {
  const alive = new Set([200, 300]);
  const siblings = new SiblingSet((pid) => alive.has(pid));
  siblings.add([200, 300]);
  assert.deepEqual(siblings.takeDead(), []);
  alive.delete(300);
  assert.deepEqual(siblings.takeDead(), [300]);
  assert.deepEqual(siblings.takeDead(), [], 'reported once');
  assert.deepEqual(siblings.alive(), [200]);
});
