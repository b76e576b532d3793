import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runIngestion, type IngestionSummary } from '../../client/index';
import { makeProject } from '../../servers/hexServer';
import { mariadbConnection, runMariadb, runTag, serviceEnv, sleep, withTrailingHexComment } from '../support/databases';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * Each run reads a warehouse's query history from where the service's last completed run stopped (here with
 * no overlap, so the boundary is exact), through real MariaDB general_log timestamps.
 */

const TASK_QUEUE = 'e2e-history-window';
const SERVICE = 'hex_history_window';
const PASSWORD_VARIABLE = 'HEXMETA_E2E_HISTORY_MARIADB_PASSWORD';
const maria = serviceEnv('MARIADB');
const tag = runTag();
const orders = `orders_${tag}`;
const refunds = `refunds_${tag}`;
const project = makeProject({ title: `History window ${tag}` });

let world: World;
let worker: InProcessWorker;
let configPath: string;

before(async () => {
  await runMariadb(maria, [
    `CREATE TABLE ${orders} (id INT)`, `CREATE TABLE ${refunds} (id INT)`,
    withTrailingHexComment(`SELECT id FROM ${orders}`, project.id),
  ]);
  world = await startWorld({ projects: [project], serviceName: SERVICE });
  world.openMetadata.addDatabaseService('maria_hw', 'MariaDB', mariadbConnection(maria, '*********'));
  world.openMetadata.addTable(`maria_hw.default.${maria.database}.${orders}`);
  world.openMetadata.addTable(`maria_hw.default.${maria.database}.${refunds}`);
  configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['maria_hw'] };
    doc.hexmeta = { lookbackDays: 1, historyOverlapMinutes: 0, usage: false };
    doc.warehouses = { maria_hw: mariadbConnection(maria, `\${${PASSWORD_VARIABLE}}`) };
    doc.queryHistory = { maria_hw: { marker: tag } };
  });
  worker = await startInProcessWorker(TASK_QUEUE, { ...world.secretsEnv, [PASSWORD_VARIABLE]: maria.password });
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

const run = (fullHistory = false) => runIngestion({
  client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env: world.secretsEnv, fullHistory,
});
const countsOf = (summary: IngestionSummary) => summary.lineage.find((l) => l.prefix === 'maria_hw')!.counts;

test('a second run reads only history recorded after the first one ended; a new query is read once', async () => {
  const first = await run();
  assert.equal(countsOf(first).hexQueries, 1);
  assert.equal(countsOf(first).edgesWritten, 1);
  const firstEnd = first.historyReadUntil.maria_hw;
  assert.ok(firstEnd, JSON.stringify(first.historyReadUntil));

  await sleep(1100); // general_log stamps in microseconds; keep the next statement clearly after the boundary
  await runMariadb(maria, [withTrailingHexComment(`SELECT id FROM ${refunds}`, project.id)]);
  const second = await run();
  assert.equal(countsOf(second).hexQueries, 1, 'only the query that came after the first run');
  assert.equal(countsOf(second).edgesWritten, 1);
  assert.ok(second.historyReadUntil.maria_hw > firstEnd);

  const third = await run();
  assert.equal(countsOf(third).queriesRead, 0);

  // --full-history (fullHistory) reads the whole lookback window again: both queries, no new edge.
  const full = await run(true);
  assert.equal(countsOf(full).hexQueries, 2);
  assert.equal(countsOf(full).edgesWritten, 0);
  assert.equal(countsOf(full).edgesExisting, 2);
});

test('a prefix that could not be read keeps its earlier mark for the next run', async () => {
  const broken = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['maria_hw'] };
    doc.hexmeta = { lookbackDays: 1, historyOverlapMinutes: 0, usage: false };
    doc.warehouses = { maria_hw: { ...mariadbConnection(maria, 'wrong-password'), hostPort: '127.0.0.1:1' } };
    doc.queryHistory = { maria_hw: { marker: tag } };
  }, `broken-${randomUUID()}.yaml`);
  const before = (await run()).historyReadUntil.maria_hw;
  const failed = await runIngestion({ client: worker.client, source: broken, taskQueue: TASK_QUEUE, env: world.secretsEnv });
  assert.equal(failed.historyReadUntil.maria_hw, before);
});
