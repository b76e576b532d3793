import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKFLOWS_DIR = join(__dirname, '..', 'workflows');

/** Identifies the workflow code and the SDK that bundles it, so a changed file or upgrade gets a new bundle. */
function bundleKey(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(WORKFLOWS_DIR).filter((n) => n.endsWith('.ts')).sort()) {
    hash.update(name).update(readFileSync(join(WORKFLOWS_DIR, name)));
  }
  for (const pkg of ['@temporalio/workflow', '@temporalio/worker', '@temporalio/common']) {
    hash.update(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A prebuilt workflow bundle, made once per code version in a short-lived child process (webpack needs
 * ~80 MB that would otherwise stay in the worker's peak memory). Null when bundling fails: the worker then
 * bundles in-process as usual.
 */
export async function prebuiltWorkflowBundle(dir = process.env.HEXMETA_BUNDLE_DIR ?? join(tmpdir(), 'hexmeta-workflow-bundles')): Promise<string | null> {
  try {
    const path = join(dir, `workflows-${bundleKey()}.js`);
    if (existsSync(path)) return path;
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    await run(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, 'bundleWorkflows.ts'), partial], { timeout: 120_000 });
    renameSync(partial, path); // atomic: workers starting together never read a half-written bundle
    return path;
  } catch {
    return null;
  }
}
