import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { claimStateDir, DEMO_MARKER, StateDirRefused } from '../../demo/stateDir';

const made: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-statedir-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

test('a temporary folder is removed on release unless kept', () => {
  const removed = claimStateDir(undefined);
  writeFileSync(join(removed.path, 'temporal.db'), '');
  assert.equal(removed.temporary, true);
  assert.equal(removed.release(false), true);
  assert.equal(existsSync(removed.path), false);

  const kept = claimStateDir(undefined);
  made.push(kept.path);
  assert.equal(kept.release(true), false);
  assert.ok(existsSync(join(kept.path, DEMO_MARKER)));
});

test('--dir: a new or empty folder is taken, and an earlier demo\'s folder again; anything else is refused', () => {
  const parent = fresh();
  const created = claimStateDir(join(parent, 'a', 'b'));
  assert.equal(created.temporary, false);
  writeFileSync(join(created.path, 'hex.yaml'), 'written by the demo');
  writeFileSync(join(created.path, 'temporal.db'), '');
  mkdirSync(join(created.path, 'cli-cache'));
  assert.equal(created.release(false), false, 'a --dir folder is never removed');
  assert.ok(existsSync(join(created.path, 'hex.yaml')));

  // The same folder again: everything in it is the demo's (named in its marker, or its own file names).
  claimStateDir(created.path).release(false);

  writeFileSync(join(created.path, 'mine.txt'), 'a person\'s file');
  assert.throws(() => claimStateDir(created.path), (error: Error) => error instanceof StateDirRefused && /\(mine\.txt\)/.test(error.message));

  const someoneElses = fresh();
  writeFileSync(join(someoneElses, 'hex.yaml'), 'my workflow file');
  assert.throws(() => claimStateDir(someoneElses), /holds files the demo did not make \(hex\.yaml\)/, 'without the marker, even a hex.yaml is foreign');

  const file = join(fresh(), 'plain-file');
  writeFileSync(file, '');
  assert.throws(() => claimStateDir(file), /is not a folder/);
});
