import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKFLOWS_DIR = join(__dirname, '..', 'workflows');
/** `.ts` when running from the sources (tsx), `.js` once compiled. */
const CODE_EXT = extname(__filename);

/**
 * The bundle `npm run build` makes next to the compiled code (dist/workflow-bundle.js), so a worker of the
 * installed package starts without bundling. Null when running from the sources.
 */
export function packagedWorkflowBundle(): string | null {
  const path = join(__dirname, '..', 'workflow-bundle.js');
  return CODE_EXT === '.js' && existsSync(path) ? path : null;
}

/** Identifies the workflow code and the SDK that bundles it, so a changed file or upgrade gets a new bundle. */
function bundleKey(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(WORKFLOWS_DIR).filter((n) => n.endsWith(CODE_EXT) && !n.endsWith('.d.ts')).sort()) {
    hash.update(name).update(readFileSync(join(WORKFLOWS_DIR, name)));
  }
  for (const pkg of ['@temporalio/workflow', '@temporalio/worker', '@temporalio/common']) {
    hash.update(JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Without a packaged bundle (running from the sources): a workflow bundle made once per code version in a
 * short-lived child process (webpack needs ~80 MB that would otherwise stay in the worker's peak memory). Null
 * when bundling fails: the worker then bundles in-process as usual.
 */
export async function prebuiltWorkflowBundle(dir = process.env.HEXMETA_BUNDLE_DIR ?? join(tmpdir(), 'hexmeta-workflow-bundles')): Promise<string | null> {
  try {
    const path = join(dir, `workflows-${bundleKey()}.js`);
    if (existsSync(path)) return path;
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    const loader = CODE_EXT === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];
    await run(process.execPath, [...loader, join(__dirname, `bundleWorkflows${CODE_EXT}`), partial], { timeout: 120_000 });
    renameSync(partial, path); // atomic: workers starting together never read a half-written bundle
    return path;
  } catch {
    return null;
  }
}
