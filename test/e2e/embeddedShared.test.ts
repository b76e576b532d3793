import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli, spawnCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * Several `hexmeta ingest` processes on one machine. In one state folder they share its embedded dev server
 * and attach to the one workflow of the service; the last to leave stops the server. From another folder the
 * same service is refused while a run holds it.
 */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

const projects = makeWorkspace(900, 23).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).slice(0, 600);

/** A workspace slow enough (0.7 s a Hex request) for a second process to arrive while the first runs. */
async function slowWorld(serviceName: string) {
  const world = await startWorld({ projects, serviceName, hex: { latencyMs: 700 } });
  worlds.push(world);
  const pages = () => world.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100').length;
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  return { world, pages, env, configPath: world.writeConfig() };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stderrOf(child: ReturnType<typeof spawnCli>): () => string {
  let text = '';
  child.stderr!.on('data', (chunk) => { text += chunk; });
  return () => text;
}

function runningServersOf(cwd: string): string {
  try {
    return execFileSync('pgrep', ['-af', join(cwd, '.hexmeta', 'temporal.db')], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

test('a second ingest in the same folder joins the running server and workflow; both print the same result', async () => {
  const { world, pages, env, configPath } = await slowWorld('hex_shared_both');
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-shared-'));
  const first = spawnCli(['ingest', '-c', configPath, '--json'], env, cwd);
  await until(() => pages() >= 1, 'the first page');
  const second = spawnCli(['ingest', '-c', configPath, '--json'], env, cwd);
  const [one, two] = await Promise.all([first.output, second.output]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stderr, /Joining the embedded Temporal dev server at 127\.0\.0\.1:\d+/);
  const summary = JSON.parse(one.stdout);
  assert.deepEqual(JSON.parse(two.stdout), summary);
  assert.equal(summary.projectsSeen, projects.length);
  assert.equal(summary.dashboardsCreated, projects.length);
  assert.equal(world.openMetadata.dashboards().length, projects.length);
  assert.ok(pages() <= 7, `one listing, not two (pages read: ${pages()})`);
  assert.equal(runningServersOf(cwd), '', 'the last one out stopped the server');
});

test('the process that started the server may leave first: the one still using it finishes the run, then stops it', async () => {
  const { world, pages, env, configPath } = await slowWorld('hex_shared_owner_leaves');
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-shared-'));
  const owner = spawnCli(['ingest', '-c', configPath, '--json'], env, cwd);
  await until(() => pages() >= 1, 'the first page');
  const joiner = spawnCli(['ingest', '-c', configPath, '--json'], env, cwd);
  const joinerLog = stderrOf(joiner);
  await until(() => /Ingestion workflow hexmeta-ingestion-hex_shared_owner_leaves/.test(joinerLog()), 'the joiner to attach');
  assert.match(joinerLog(), /Joining the embedded Temporal dev server/);
  owner.kill('SIGINT');
  const left = await owner.output;
  assert.equal(left.code, 130, left.stderr);
  assert.notEqual(runningServersOf(cwd), '', 'the server outlives the process that started it');
  const finished = await joiner.output;
  assert.equal(finished.code, 0, finished.stderr);
  assert.equal(JSON.parse(finished.stdout).projectsSeen, projects.length);
  assert.equal(world.openMetadata.dashboards().length, projects.length);
  assert.equal(runningServersOf(cwd), '', 'the last one out stopped the server');
});

test('the same service from another state folder is refused while a run holds it, and runs once it ended', async () => {
  const { world, pages, env, configPath } = await slowWorld('hex_shared_folders');
  const folderA = mkdtempSync(join(tmpdir(), 'hexmeta-folder-a-'));
  const folderB = mkdtempSync(join(tmpdir(), 'hexmeta-folder-b-'));
  const first = spawnCli(['ingest', '-c', configPath, '--json'], env, folderA);
  await until(() => pages() >= 1, 'the first page');
  const refused = await runCli(['ingest', '-c', configPath, '--json'], env, folderB);
  assert.equal(refused.code, 2, refused.stderr);
  assert.ok(
    refused.stderr.includes(`Service hex_shared_folders on ${world.openMetadata.url.replace(/\/+$/, '')} is being ingested by hexmeta process ${first.pid} with the state folder ${join(folderA, '.hexmeta')}`),
    refused.stderr,
  );
  assert.match(refused.stderr, /not coordinated/);
  assert.equal(refused.stdout, '');
  assert.equal(runningServersOf(folderB), '', 'the refused run stopped the server it started');
  const done = await first.output;
  assert.equal(done.code, 0, done.stderr);
  assert.equal(JSON.parse(done.stdout).dashboardsCreated, projects.length);

  const later = await runCli(['ingest', '-c', configPath, '--json'], env, folderB);
  assert.equal(later.code, 0, later.stderr);
  assert.equal(JSON.parse(later.stdout).dashboardsCreated, 0, 'the dashboards written by the first run were kept');
  assert.equal(world.openMetadata.dashboards().length, projects.length);
});
