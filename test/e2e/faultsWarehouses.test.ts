import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import {
  clickhouseConnection, mariadbConnection, postgresConnection, runPostgres, runTag, serviceEnv, withTrailingHexComment,
} from '../support/databases';
import { freePort, stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * Warehouses that cannot be read, next to one that can, in one run against the real local databases:
 * the readable one gives its lineage, each failing one is one warning naming it, and the run exits 0.
 * Unreachable warehouses are retried by the lineage step (about 75 s of backoff) before they are given up.
 */

const SERVICE = 'hex_faults_warehouses';
const pg = serviceEnv('PG');
const maria = serviceEnv('MARIADB');
const clickhouse = serviceEnv('CLICKHOUSE');
const tag = runTag();
const WRONG_PASSWORD = `wrong-${tag}`;
const project = makeProject({ title: `Warehouse faults ${tag}` });
const schema = `whf_${tag}`;
const ordersFqn = `pg_ok.${pg.database}.${schema}.orders`;

/** prefix -> what must be said about it */
const FAILING: Record<string, RegExp> = {
  pg_closed_port: /lineage failed after retries: PostgreSQL query history read failed: .*ECONNREFUSED/,
  pg_no_host: /lineage failed after retries: PostgreSQL query history read failed: .*(ENOTFOUND|EAI_AGAIN)/,
  maria_bad_password: /no lineage from this warehouse: .*rejected the credentials/i,
  ch_bad_password: /no lineage from this warehouse: .*(rejected the credentials|authentication|password)/i,
};

let world: World;
let result: CliResult;
let workerOutput: CliResult;
let summary: any;

before(async () => {
  const { address } = await suiteTemporal();
  await runPostgres(pg, [
    `CREATE SCHEMA ${schema}`,
    `CREATE TABLE ${schema}.orders (id int, amount int)`,
    withTrailingHexComment(`SELECT id, amount FROM ${schema}.orders`, project.id),
  ]);
  world = await startWorld({ projects: [project], serviceName: SERVICE });
  const om = world.openMetadata;
  const closedPort = await freePort();
  om.addDatabaseService('pg_ok', 'Postgres', postgresConnection(pg));
  om.addDatabaseService('pg_closed_port', 'Postgres', { ...postgresConnection(pg), hostPort: `127.0.0.1:${closedPort}` });
  om.addDatabaseService('pg_no_host', 'Postgres', { ...postgresConnection(pg), hostPort: `warehouse-${tag}.invalid:5432` });
  om.addDatabaseService('maria_bad_password', 'MariaDB', mariadbConnection(maria, WRONG_PASSWORD));
  om.addDatabaseService('ch_bad_password', 'Clickhouse', clickhouseConnection(clickhouse, WRONG_PASSWORD));
  om.addTable(ordersFqn);

  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: [`pg_ok.${pg.database}`, ...Object.keys(FAILING)] };
    doc.hexmeta = { lookbackDays: 1 };
    doc.queryHistory = Object.fromEntries(['pg_ok', ...Object.keys(FAILING)].map((name) => [name, { marker: tag }]));
  });
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
  const taskQueue = `e2e-faults-wh-${tag}`;
  const worker = await startWorkerProcess(env, taskQueue);
  try {
    result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
  } finally {
    worker.kill('SIGTERM');
  }
  workerOutput = await worker.output;
  assert.equal(result.code, 0, `${result.stderr}\n${workerOutput.stderr}`);
  summary = JSON.parse(result.stdout);
});

after(async () => {
  await world?.close();
  await runPostgres(pg, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`]).catch(() => undefined);
  await stopSuiteTemporal();
});

test('the readable warehouse gives its lineage although the others fail', () => {
  assert.equal(summary.phase, 'done');
  assert.equal(summary.failuresTotal, 0);
  assert.equal(summary.dashboardsCreated, 1);
  const ok = summary.lineage.find((l: any) => l.prefix === `pg_ok.${pg.database}`);
  assert.equal(ok.dialect, 'postgres');
  assert.equal(ok.counts.edgesWritten, 1);
  assert.deepEqual(ok.warnings, []);
  const dashboard = world.openMetadata.dashboards().find((d: any) => d.name === project.id);
  const edges = world.openMetadata.lineageEdges();
  assert.equal(edges.length, 1, 'exactly the one edge the readable warehouse shows');
  assert.equal(edges[0].toId, dashboard?.id);
});

test('each failing warehouse is one warning naming it, with the cause', (t) => {
  for (const [prefix, reason] of Object.entries(FAILING)) {
    const entry = summary.lineage.find((l: any) => l.prefix === prefix);
    assert.ok(entry, `summary entry for ${prefix}`);
    const warnings = summary.warnings.filter((w: any) => w.item === prefix);
    assert.equal(warnings.length, 1, `one warning for ${prefix}: ${JSON.stringify(summary.warnings)}`);
    assert.match(warnings[0].reason, reason, prefix);
  }
  // The only other warning: the project owner is no OpenMetadata user.
  const others = summary.warnings.filter((w: any) => !(w.item in FAILING)).map((w: any) => w.item);
  assert.deepEqual(others, [project.owner.email]);
  assert.equal(summary.warningsTotal, Object.keys(FAILING).length + 1);
  t.diagnostic('faults: warehouse closed port x1, unknown host x1, wrong password x2 (MariaDB, ClickHouse); lineage lost from the readable warehouse 0');
});

test('the wrong password and the warehouse passwords appear in no output', () => {
  for (const secret of new Set([WRONG_PASSWORD, pg.password, maria.password, clickhouse.password])) {
    for (const text of [result.stdout, result.stderr, workerOutput.stdout, workerOutput.stderr]) {
      assert.ok(!text.includes(secret), 'password in CLI or worker output');
    }
  }
});
