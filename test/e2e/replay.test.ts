import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startIngestion } from '../../client/core';
import { createHexWorker } from '../../worker/createWorker';
import { makeWorkspace } from '../../servers/hexServer';
import { stopSuiteTemporal, suiteTemporal, temporalBinary, temporalClient } from '../support/temporal';
import { startWorld, type World } from '../support/world';

const HISTORIES = join(__dirname, '..', 'fixtures', 'histories');
const workflowsPath = require.resolve('../../workflows');

let world: World;
let address: string;

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects: makeWorkspace(300, 5), serviceName: 'hex_replay' });
});

after(async () => {
  await world?.close();
  await stopSuiteTemporal();
});

test('recorded histories of the ingestion workflow replay without nondeterminism', async () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 0, 'at least one recorded history');
  for (const file of files) {
    // Exported with `temporal workflow show -o json` (the format the Web UI downloads too).
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
    // The file is named after the workflow id: the workflow's path depends on it (fixed id per service).
    await Worker.runReplayHistory({ workflowsPath }, history, file.replace(/\.json$/, ''));
  }
});

test('a fresh run (pages, lineage step, warnings) replays against the current code', async () => {
  const env = { ...process.env, ...world.secretsEnv, HEXMETA_HEX_REQUESTS_PER_MINUTE: '6000' };
  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['warehouse_without_connection'] };
  });
  const connection = await NativeConnection.connect({ address });
  const { client, close } = await temporalClient(address);
  try {
    const worker = await createHexWorker({ connection, taskQueue: 'replay', env });
    const { workflow: handle } = await startIngestion({ client, source: { configPath }, taskQueue: 'replay', env, checkSecrets: true });
    const summary = await worker.runUntil(handle.result());
    assert.equal(summary.phase, 'done');
    assert.ok(summary.pagesRead >= 2, `pages: ${summary.pagesRead}`);
    assert.equal(summary.lineage.length, 1);
    assert.match(summary.lineage[0].warnings.map((w) => `${w.item}: ${w.reason}`).join('\n'), /^warehouse_without_connection: no lineage from this warehouse/);
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowsPath }, history, handle.workflowId);
    if (process.env.RECORD_HISTORY === '1') {
      // The CLI's JSON export is the format the Web UI downloads and historyFromJSON reads.
      const json = execFileSync(temporalBinary(), ['workflow', 'show', '--address', address, '-w', handle.workflowId, '-o', 'json']);
      writeFileSync(join(HISTORIES, `${handle.workflowId}.json`), json);
    }
  } finally {
    await close();
    await connection.close();
  }
});
