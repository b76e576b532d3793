import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prebuiltWorkflowBundle } from '../../worker/workflowBundle';

test('the workflow bundle is built once per code version, in a child process, and reused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-bundle-'));
  const before = process.memoryUsage().rss;
  const path = await prebuiltWorkflowBundle(dir);
  assert.ok(path, 'a bundle was built');
  assert.match(readFileSync(path, 'utf8'), /hexIngestion/);
  // webpack ran elsewhere: this process did not take its memory.
  assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024);
  const built = statSync(path).mtimeMs;
  const started = Date.now();
  assert.equal(await prebuiltWorkflowBundle(dir), path);
  assert.equal(statSync(path).mtimeMs, built);
  assert.ok(Date.now() - started < 1000, 'the second call reuses the file');
});

test('a bundle that cannot be written leaves the worker to bundle in-process', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hexmeta-bundle-')), 'a-file');
  writeFileSync(file, '');
  assert.equal(await prebuiltWorkflowBundle(join(file, 'below-a-file')), null);
});
