import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Client as PgClient } from 'pg';
import { DEMO_QUERIES } from '../../demo/sampleWarehouse';
import { demoProjects } from '../../demo/sampleWorkspace';
import { cliEnv, runCli, spawnCli } from '../support/cli';
import { serviceEnv } from '../support/databases';
import { freePort, temporalBinary } from '../support/temporal';

/*
 * `hexmeta demo` as a user runs it: a child process that starts its own Temporal dev server, the local Hex and
 * OpenMetadata servers, and (when the PG_* variables point at the suite's PostgreSQL) lineage from it.
 */

const HEX_LABEL = 'local Hex API stand-in (not hex.tech)';
const OPENMETADATA_LABEL = 'local OpenMetadata-compatible test server (not OpenMetadata)';
const PG_VARIABLES = ['PG_HOST', 'PG_PORT', 'PG_USER', 'PG_PASSWORD', 'PG_DATABASE'];
const pg = serviceEnv('PG');

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-demo-test-'));
  dirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function demoEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return cliEnv({ TEMPORAL_CLI_PATH: temporalBinary(), ...extra });
}

// What the workspace should yield, worked out from the sample data by the rules the README states.
const kept = demoProjects().filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt && !/^scratch/i.test(p.title));
const keptTitles = kept.map((p) => p.title).sort();
const expectedTags = [...new Set(kept.flatMap((p) => [...p.categories.map((c) => c.name), ...(p.status ? [p.status.name] : [])]))]
  .map((name) => `HexCategories.${name}`).sort();
const expectedEdges = [...new Set(DEMO_QUERIES
  .filter((q) => keptTitles.includes(q.project))
  .flatMap((q) => q.reads.map((table) => `${table} -> ${q.project}`)))].sort();

function temporalProcessesOf(dir: string): string {
  try {
    return execFileSync('pgrep', ['-af', join(dir, 'temporal.db')], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

async function schemaExists(schema: string): Promise<boolean> {
  const client = new PgClient({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

function assertDashboardsAndTags(report: any): void {
  const contents = report.openMetadataContents;
  assert.deepEqual(contents.dashboardService, { name: 'hex_demo', serviceType: 'Hex' });
  assert.equal(contents.dashboards, kept.length);
  assert.deepEqual(contents.dashboardTitles, keptTitles);
  assert.deepEqual(contents.sampleDashboards, keptTitles.slice(0, 3));
  assert.deepEqual(contents.tags, expectedTags);
  assert.equal(report.summary.phase, 'done');
  assert.equal(report.summary.dashboardsCreated, kept.length);
  assert.equal(report.summary.projectsFiltered, 2);
  assert.equal(report.summary.ownersResolved, kept.length);
  assert.equal(report.summary.failuresTotal, 0, JSON.stringify(report.summary.failures));
}

test('with PostgreSQL: every kept project becomes a dashboard and each Hex query its exact table -> dashboard edges', async () => {
  const dir = stateDir();
  const result = await runCli(['demo', '--exit', '--json', '--no-ui', '--dir', dir], demoEnv());
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);

  assert.equal(report.hex.label, HEX_LABEL);
  assert.equal(report.openMetadata.label, OPENMETADATA_LABEL);
  assert.equal(report.stateDir, dir);
  assert.equal(report.workflowId, 'hexmeta-ingestion-hex_demo');
  assert.match(report.runId, /^[0-9a-f-]{36}$/);
  assert.equal(report.temporal.uiUrl, null);
  assert.equal(report.temporal.workflowUrl, null);
  assertDashboardsAndTags(report);

  assert.ok(expectedEdges.length > 0);
  assert.equal(report.postgres.used, true);
  assert.equal(report.postgres.server, `postgresql://${pg.user}@${pg.host}:${pg.port}/${pg.database}`);
  assert.equal(report.postgres.hexStatements, DEMO_QUERIES.length);
  assert.deepEqual(report.openMetadataContents.edges, expectedEdges);
  assert.equal(report.openMetadataContents.lineageEdges, expectedEdges.length);
  const [lineage] = report.summary.lineage;
  assert.equal(report.summary.lineage.length, 1);
  assert.equal(lineage.prefix, `lumen_postgres.${pg.database}.${report.postgres.schema}`);
  assert.equal(lineage.counts.hexQueries, DEMO_QUERIES.length);
  assert.equal(lineage.counts.edgesWritten, expectedEdges.length);
  assert.equal(lineage.counts.projectsUnknown, 1, 'the archived project\'s query has no dashboard');
  assert.equal(lineage.counts.tablesUnresolved, 0);
  assert.equal(report.summary.warningsTotal, 0, JSON.stringify(report.summary.warnings));

  // The file a user would write: secrets as references only.
  const file = readFileSync(report.workflowFile, 'utf8');
  assert.equal(report.workflowFile, join(dir, 'hex.yaml'));
  for (const reference of ['${HEX_TOKEN}', '${OM_JWT}', '${DEMO_PG_PASSWORD}']) assert.ok(file.includes(reference), reference);
  assert.ok(!file.includes(pg.password), 'the PostgreSQL password is not in the file');
  assert.ok(!/hxtw_[0-9a-f]{8}/.test(file), 'the Hex token is not in the file');
  assert.ok(!result.stdout.includes(pg.password) && !result.stderr.includes(pg.password), 'the password is never printed');

  assert.equal(await schemaExists(report.postgres.schema), false, 'the demo schema is dropped on exit');
  assert.equal(temporalProcessesOf(dir), '', 'no Temporal dev server left running');
});

test('without PostgreSQL: a clean run with lineage skipped and a note saying why; --keep keeps its temporary folder', async () => {
  const closedPort = await freePort();
  const unsetPg = Object.fromEntries(PG_VARIABLES.map((name) => [name, undefined]));
  const result = await runCli(
    ['demo', '--exit', '--json', '--no-ui', '--keep', '--postgres', `postgresql://demo@127.0.0.1:${closedPort}/shop`],
    demoEnv(unsetPg),
  );
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  const dir: string = report.stateDir;
  dirs.push(dir);
  assert.ok(dir.startsWith(join(tmpdir(), 'hexmeta-demo-')), dir);
  assert.ok(existsSync(join(dir, 'hex.yaml')), 'kept with --keep');
  assert.ok(result.stderr.includes(`Kept the demo's folder ${dir}.`), result.stderr);
  assertDashboardsAndTags(report);
  assert.deepEqual(report.postgres, { used: false });
  assert.deepEqual(report.summary.lineage, []);
  assert.equal(report.openMetadataContents.lineageEdges, 0);
  assert.ok(
    report.notes.some((n: string) => n.startsWith(`no PostgreSQL reachable at postgresql://demo@127.0.0.1:${closedPort}/shop (--postgres:`)
      && n.endsWith('lineage skipped')),
    JSON.stringify(report.notes),
  );
  const file = readFileSync(report.workflowFile, 'utf8');
  assert.ok(!file.includes('warehouses:') && !file.includes('lineageInformation'), file);
  assert.equal(temporalProcessesOf(dir), '');
});

test('without --dir: the temporary folder is removed when the demo ends', async () => {
  const closedPort = await freePort();
  const unsetPg = Object.fromEntries(PG_VARIABLES.map((name) => [name, undefined]));
  const result = await runCli(
    ['demo', '--exit', '--json', '--no-ui', '--postgres', `postgresql://demo@127.0.0.1:${closedPort}/shop`],
    demoEnv(unsetPg),
  );
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.ok(report.stateDir.startsWith(join(tmpdir(), 'hexmeta-demo-')), report.stateDir);
  assert.equal(existsSync(report.stateDir), false, 'removed on exit');
  assert.match(result.stderr, /Removed the demo's temporary folder .* \(--keep keeps it\)/);
  assert.equal(temporalProcessesOf(report.stateDir), '');
});

/** Resolves once `test` holds for the text a stream has produced so far; rejects on timeout. */
function waitForOutput(stream: NodeJS.ReadableStream, test: (text: string) => boolean, ms = 120_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not seen within ${ms} ms; output so far:\n${text}`)), ms);
    stream.on('data', (chunk) => {
      text += chunk;
      if (test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

const escape = (text: string) => text.replace(/[()]/g, '\\$&');

test('without --exit: the servers stay up with the Web UI until SIGINT, which stops every child and exits 0', async () => {
  const dir = stateDir();
  const child = spawnCli(['demo', '--dir', dir], demoEnv());
  let children: number[] = [];
  try {
    const [stdout] = await Promise.all([
      waitForOutput(child.stdout!, (text) => text.includes('lineage edges')),
      waitForOutput(child.stderr!, (text) => text.includes('press Ctrl-C')),
    ]);
    assert.match(stdout, new RegExp(`Hex +http://127\\.0\\.0\\.1:\\d+  ${escape(HEX_LABEL)}`));
    assert.match(stdout, new RegExp(`OpenMetadata +http://127\\.0\\.0\\.1:\\d+/api  ${escape(OPENMETADATA_LABEL)}`));
    assert.match(stdout, new RegExp(`with ${kept.length} dashboards`));
    assert.match(stdout, new RegExp(`${expectedEdges.length} lineage edges`));

    // The printed link is the run's page in the Web UI, whose API (what the page reads) knows the finished run.
    const link = /open (http:\/\/127\.0\.0\.1:\d+)\/namespaces\/default\/workflows\/hexmeta-ingestion-hex_demo\n/.exec(stdout);
    assert.ok(link, stdout);
    const page = await fetch(link[0].slice('open '.length).trim());
    assert.equal(page.status, 200);
    const api = await fetch(`${link[1]}/api/v1/namespaces/default/workflows/hexmeta-ingestion-hex_demo`);
    assert.equal(api.status, 200);
    assert.equal((await api.json() as any).workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');

    children = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    assert.ok(temporalProcessesOf(dir).includes('--ui-port'), 'the dev server runs with its Web UI');
    assert.ok(children.some((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('start-dev')), 'the dev server is the demo\'s child');
  } catch (error) {
    child.kill('SIGINT'); // a clean stop, so a failed check leaves no dev server behind
    await child.output;
    throw error;
  }

  child.kill('SIGINT');
  const result = await child.output;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Stopping the demo/);
  for (const pid of children) assert.throws(() => process.kill(pid, 0), `child ${pid} is gone`);
  assert.equal(temporalProcessesOf(dir), '', 'no Temporal dev server left running');
});
