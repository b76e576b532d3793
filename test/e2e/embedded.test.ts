import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { cliEnv, runCli, spawnCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

test('without TEMPORAL_ADDRESS, ingest runs its own dev server and worker and keeps state in .hexmeta/', async () => {
  const projects = visible(makeWorkspace(160, 21));
  const world = await startWorld({ projects, serviceName: 'hex_embedded' });
  worlds.push(world);
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-embedded-'));
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  const result = await runCli(['ingest', '-c', world.writeConfig(), '--json'], env, cwd);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /embedded Temporal at 127\.0\.0\.1:\d+/);
  assert.equal(JSON.parse(result.stdout).dashboardsCreated, projects.length);
  assert.equal(world.openMetadata.dashboards().length, projects.length);
  assert.ok(existsSync(join(cwd, '.hexmeta', 'temporal.db')));
});

for (const signal of ['SIGINT', 'SIGKILL'] as const) {
  test(`an embedded ingest stopped by ${signal} resumes the same workflow when run again`, async () => {
    const projects = visible(makeWorkspace(900, 23)).slice(0, 600);
    const world = await startWorld({ projects, serviceName: `hex_embedded_${signal.toLowerCase()}`, hex: { latencyMs: 700 } });
    worlds.push(world);
    const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-embedded-'));
    const env = cliEnv({ ...world.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
    const configPath = world.writeConfig();
    const pages = () => world.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100').length;

    const first = spawnCli(['ingest', '-c', configPath, '--json'], env, cwd);
    const deadline = Date.now() + 120_000;
    while (pages() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    first.kill(signal);
    const stopped = await first.output;
    if (signal === 'SIGINT') {
      assert.equal(stopped.code, 130, stopped.stderr);
      assert.match(stopped.stderr, /run the same command again to resume/);
    }
    const before = pages();
    assert.ok(before < 6, `stopped before the listing finished (${before} pages)`);

    // After SIGKILL the old dev server still holds .hexmeta/temporal.db; the rerun must take it over.
    const second = await runCli(['ingest', '-c', configPath, '--json'], env, cwd);
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout);
    assert.equal(summary.projectsSeen, 600, 'the resumed workflow kept the pages of the first process');
    assert.equal(world.openMetadata.dashboards().length, 600);
    // 6 pages in all; the page in flight at the interruption may be read twice. Starting over would read >= 8.
    assert.ok(pages() <= 7, `pages read: ${pages()}`);
  });
}
