import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, type CliResult } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * hexmeta as another project gets it: `npm pack` of the built package (scripts/test.sh builds it first),
 * installed with `npm install --omit=dev` into an empty folder, then used there on plain Node without tsx.
 */

const ROOT = join(__dirname, '..', '..');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const run = promisify(execFile);

let consumer: string;
let packed: string[];
let world: World;
let address: string;

before(async () => {
  consumer = mkdtempSync(join(tmpdir(), 'hexmeta-consumer-'));
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', consumer], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = info.files.map((file) => file.path);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'hexmeta-consumer', version: '1.0.0', private: true }));
  // One install; the local npm cache saves most downloads.
  await run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', join(consumer, info.filename)], { cwd: consumer, timeout: 600_000 });
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects: makeWorkspace(40, 11), serviceName: 'hex_package' });
}, { timeout: 700_000 });

after(async () => {
  await world?.close();
  await stopSuiteTemporal();
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

/** Runs a command in the consumer folder, with stdin when given. */
function inConsumer(command: string, args: string[], env: NodeJS.ProcessEnv = cliEnv({}), stdin = ''): Promise<CliResult> {
  const child = spawn(command, args, { cwd: consumer, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

test('the tarball holds the compiled code, its declarations and the workflow bundle; no sources or tests', () => {
  for (const file of ['bin/hexmeta.js', 'dist/client/index.js', 'dist/client/index.d.ts', 'dist/client/cli.js', 'dist/worker/main.js', 'dist/workflow-bundle.js', 'dist/servers/hexServer.js', 'dist/demo/servers.js', 'package.json', 'README.md']) {
    assert.ok(packed.includes(file), `${file} is packed`);
  }
  const unwanted = packed.filter((file) => /^(test|bench|scripts|examples)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts')) || file.includes('tsbuildinfo'));
  assert.deepEqual(unwanted, []);
  const installed = join(consumer, 'node_modules');
  assert.ok(existsSync(join(installed, 'hexmeta', 'dist', 'workflow-bundle.js')));
  assert.equal(existsSync(join(installed, 'tsx')), false, 'tsx is a development tool only');
  assert.equal(existsSync(join(installed, 'typescript')), false);
});

test('npx hexmeta --help and --version work on plain Node', async () => {
  const help = await inConsumer('npx', ['hexmeta', '--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const command of ['ingest', 'worker', 'lineage', 'schedule', 'status', 'demo']) assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'));
  const version = await inConsumer('npx', ['hexmeta', '--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), VERSION);
});

test('npx hexmeta lineage parse reads SQL from standard input', async () => {
  const sql = '-- Hex query metadata: {"cell_type": "SQL", "context": "SCHEDULED_RUN", "project_id": "3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73", '
    + '"project_url": "https://app.hex.tech/acme/hex/3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73/draft/logic"}\n'
    + 'SELECT o.id, c.name FROM orders o JOIN crm.customers c ON c.id = o.customer_id';
  const result = await inConsumer('npx', ['hexmeta', 'lineage', 'parse', '--dialect', 'snowflake', '--database', 'ANALYTICS', '--schema', 'PUBLIC'], cliEnv({}), sql);
  assert.equal(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout);
  assert.equal(parsed.hex.projectId, '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73');
  // Snowflake folds unquoted names to upper case; the defaults complete the partly qualified ones.
  assert.deepEqual([...parsed.tables].sort(), ['ANALYTICS.CRM.CUSTOMERS', 'ANALYTICS.PUBLIC.ORDERS']);
});

test('the API loads with import() from ESM and with require() from CommonJS', async () => {
  const names = ['startIngestion', 'runIngestion', 'getProgress', 'listRuns', 'connect', 'createSchedule', 'createHexWorker'];
  const esm = await inConsumer('node', ['--input-type=module', '-e',
    `import('hexmeta').then((m) => console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => typeof m[n]))))`]);
  assert.equal(esm.code, 0, esm.stderr);
  assert.deepEqual(JSON.parse(esm.stdout), names.map(() => 'function'));
  const named = await inConsumer('node', ['--input-type=module', '-e',
    "import { startIngestion, runIngestion, getProgress, listRuns } from 'hexmeta'; console.log([startIngestion, runIngestion, getProgress, listRuns].map((f) => f.name).join(' '))"]);
  assert.equal(named.code, 0, named.stderr);
  assert.equal(named.stdout.trim(), 'startIngestion runIngestion getProgress listRuns');
  const cjs = await inConsumer('node', ['-e', "console.log(typeof require('hexmeta').startIngestion, require('hexmeta/package.json').version)"]);
  assert.equal(cjs.code, 0, cjs.stderr);
  assert.equal(cjs.stdout.trim(), `function ${VERSION}`);
});

test('the declarations type an ESM consumer (module nodenext)', async () => {
  writeFileSync(join(consumer, 'consumer.mts'), [
    "import { startIngestion, type IngestionHandle, type IngestionSummary } from 'hexmeta';",
    'export async function begin(client: Parameters<typeof startIngestion>[0]["client"]): Promise<IngestionHandle> {',
    "  return startIngestion({ client, source: 'hex.yaml' });",
    '}',
    'export type Done = IngestionSummary["phase"];',
    '// @ts-expect-error: the source is a path or a config, not a number',
    'startIngestion({ client: null as never, source: 42 });',
  ].join('\n'));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await inConsumer('node', [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node', 'consumer.mts']);
  assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
});

test('the installed worker and CLI run an ingestion; the worker starts from the packaged workflow bundle', { timeout: 180_000 }, async () => {
  const bundleDir = join(consumer, 'no-bundles-here');
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address, HEXMETA_BUNDLE_DIR: bundleDir });
  const configPath = world.writeConfig();
  const worker = spawn(process.execPath, [join(consumer, 'node_modules', '.bin', 'hexmeta'), 'worker', '--task-queue', 'package'], { cwd: consumer, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let workerLog = '';
  worker.stdout.on('data', (chunk) => { workerLog += chunk; });
  worker.stderr.on('data', (chunk) => { workerLog += chunk; });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not poll within 60 s:\n${workerLog}`)), 60_000);
      const check = () => {
        if (workerLog.includes('polling task queue')) {
          clearTimeout(timer);
          resolve();
        }
      };
      worker.stdout.on('data', check);
      worker.stderr.on('data', check);
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}:\n${workerLog}`));
      });
    });
    // The packaged bundle was used: no bundle was made at start.
    assert.equal(existsSync(bundleDir), false, 'the worker bundled its workflow code at start');
    const result = await inConsumer('npx', ['hexmeta', 'ingest', '-c', configPath, '--task-queue', 'package', '--json'], env);
    assert.equal(result.code, 0, `${result.stderr}\n${workerLog}`);
    const summary = JSON.parse(result.stdout);
    const visible = makeWorkspace(40, 11).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
    assert.equal(summary.phase, 'done');
    assert.equal(summary.dashboardsCreated, visible.length);
    assert.equal(world.openMetadata.dashboards().filter((d: any) => !d.deleted).length, visible.length);
  } finally {
    worker.kill('SIGTERM');
    await exited;
  }
});

test('recorded workflow histories replay against the packaged workflow bundle', async () => {
  const codePath = join(consumer, 'node_modules', 'hexmeta', 'dist', 'workflow-bundle.js');
  const histories = join(ROOT, 'test', 'fixtures', 'histories');
  const files = readdirSync(histories).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(readFileSync(join(histories, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath } }, history, file.replace(/\.json$/, ''));
  }
});
