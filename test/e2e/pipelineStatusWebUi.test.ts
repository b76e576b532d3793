import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli, spawnCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * An embedded `hexmeta ingest --ui` links each OpenMetadata run status to the run in the Web UI it started:
 * the worker in the same process is told the UI's address, no HEXMETA_TEMPORAL_UI_URL needed (and a value of
 * it meant for another cluster is not used). Without the UI there is nothing to link to.
 */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

const projects = makeWorkspace(320, 61).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).slice(0, 300);

async function embeddedRun(service: string, ui: boolean, extraEnv: Record<string, string | undefined> = {}) {
  // Slow enough for the test to read the server's address file while the run lasts.
  const world = await startWorld({ projects, serviceName: service, hex: { latencyMs: ui ? 400 : 0 } });
  worlds.push(world);
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-status-ui-'));
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary(), HEXMETA_TEMPORAL_UI_URL: undefined, ...extraEnv });
  const config = world.writeConfig((doc) => { doc.ingestionPipelineFQN = `${service}.hex_metadata`; });
  const args = ['ingest', '-c', config, '--json', ...(ui ? ['--ui'] : [])];
  let uiUrl: string | null = null;
  let result;
  if (ui) {
    const child = spawnCli(args, env, cwd);
    const addressFile = join(cwd, '.hexmeta', 'temporal.address');
    const deadline = Date.now() + 60_000;
    while (!uiUrl && child.exitCode === null && Date.now() < deadline) {
      if (existsSync(addressFile)) uiUrl = readFileSync(addressFile, 'utf8').split('\n')[1] || null;
      await new Promise((r) => setTimeout(r, 100));
    }
    result = await child.output;
  } else {
    result = await runCli(args, env, cwd);
  }
  assert.equal(result.code, 0, result.stderr);
  const writes = world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === `${service}.hex_metadata`);
  assert.ok(writes.length >= 2, 'running and the end state written');
  return { uiUrl, metadata: writes.map((w) => (w.status as { metadata: Record<string, string> }).metadata) };
}

test('an embedded ingest with --ui links every status write to the run in its own Web UI', async () => {
  const service = 'hex_status_ui';
  const { uiUrl, metadata } = await embeddedRun(service, true, { HEXMETA_TEMPORAL_UI_URL: 'https://temporal.other-cluster.example' });
  assert.match(uiUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, 'the embedded server runs its Web UI');
  for (const m of metadata) {
    assert.equal(m.temporalWebUi, `${uiUrl}/namespaces/default/workflows/hexmeta-ingestion-${service}/${m.temporalRunId}/history`);
  }
});

test('an embedded ingest without the Web UI writes no link', async () => {
  const { metadata } = await embeddedRun('hex_status_no_ui', false);
  for (const m of metadata) {
    assert.equal(m.temporalWebUi, undefined);
    assert.match(m.temporalRunId, /^[0-9a-f-]{36}$/);
  }
});
