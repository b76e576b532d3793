import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive, ProcessRegistry, withLockFile } from '../../client/processFiles';
import { claimService, ServiceBusyError } from '../../client/serviceLock';

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'hexmeta-process-files-'));
}

test('isAlive: this process is, an exited one is not', () => {
  assert.equal(isAlive(process.pid), true);
  assert.equal(isAlive(deadPid()), false);
  assert.equal(isAlive(0), false);
});

test('withLockFile: sections never overlap; a lock left by a dead process is taken over', async () => {
  const lock = join(scratch(), 'x.lock');
  const order: string[] = [];
  const section = (name: string) => withLockFile(lock, async () => {
    order.push(`${name} in`);
    await new Promise((r) => setTimeout(r, 50));
    order.push(`${name} out`);
  });
  await Promise.all([section('a'), section('b')]);
  assert.deepEqual(order, ['a in', 'a out', 'b in', 'b out']);
  assert.ok(!existsSync(lock));

  writeFileSync(lock, String(deadPid()));
  assert.equal(await withLockFile(lock, async () => readFileSync(lock, 'utf8'), 2_000), String(process.pid));
});

test('withLockFile: a lock held by a live process is waited for, then fails naming it', async () => {
  const lock = join(scratch(), 'x.lock');
  writeFileSync(lock, String(process.ppid));
  await assert.rejects(withLockFile(lock, async () => undefined, 300), new RegExp(`held by process ${process.ppid}`));
});

test('ProcessRegistry: entries of dead processes are ignored and removed', () => {
  const registry = new ProcessRegistry(join(scratch(), 'users'));
  const dead = deadPid();
  registry.add(dead, 'gone');
  registry.add(process.pid, 'here');
  assert.deepEqual(registry.live(), [{ pid: process.pid, content: 'here' }]);
  assert.deepEqual(readdirSync(registry.dir), [String(process.pid)]);
  registry.remove();
  assert.deepEqual(registry.live(), []);
});

test('claimService: another live hexmeta process of another state folder holds the service; a dead one does not', async () => {
  const root = scratch();
  const service = { openMetadata: 'http://om:8585/api', serviceName: 'hex_prod', root };
  const mine = await claimService({ ...service, stateDir: '/a/.hexmeta' });
  const [dir] = readdirSync(root).filter((name) => !name.endsWith('.lock'));
  mine.release();
  assert.deepEqual(readdirSync(join(root, dir)), []);

  // A process whose command line names hexmeta, holding the claim for folder /b.
  const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'hexmeta'], { stdio: 'ignore' });
  try {
    writeFileSync(join(root, dir, String(other.pid)), '/b/.hexmeta');
    await assert.rejects(claimService({ ...service, stateDir: '/a/.hexmeta' }), (error: Error) => {
      assert.ok(error instanceof ServiceBusyError);
      assert.match(error.message, new RegExp(`hex_prod on http://om:8585/api is being ingested by hexmeta process ${other.pid} with the state folder /b/\\.hexmeta`));
      return true;
    });
    // The same folder shares the claim: its processes join one server and one workflow.
    (await claimService({ ...service, stateDir: '/b/.hexmeta' })).release();
    // Another service, or the same on another OpenMetadata, is free.
    (await claimService({ ...service, serviceName: 'hex_other', stateDir: '/a/.hexmeta' })).release();
    (await claimService({ ...service, openMetadata: 'http://other:8585/api', stateDir: '/a/.hexmeta' })).release();
  } finally {
    other.kill();
    await new Promise((r) => other.once('exit', r));
  }
  writeFileSync(join(root, dir, String(deadPid())), '/b/.hexmeta');
  (await claimService({ ...service, stateDir: '/a/.hexmeta' })).release();
});
