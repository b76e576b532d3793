import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { formatSummary } from '../../client/summary';
import { cliEnv, runCli, startWorkerProcess } from '../support/cli';
import { postgresConnection, runPostgres, runTag, serviceEnv, withTrailingHexComment } from '../support/databases';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * One ingestion whose lineage reads real PostgreSQL history (pg_stat_statements) where the same table name lives in
 * two databases of one service. A statement run in one database that names the table without database or schema
 * must resolve there, never in the other; a name two schemas of that database hold stays unresolved and is listed
 * as ambiguous with both candidates.
 */

const SERVICE = 'hex_e2e_lineage_databases';
const pg = serviceEnv('PG');
const tag = runTag();
const first = pg.database;
const second = `${pg.database}_other`;
const shared = `shared_${tag}`;
const twice = `twice_${tag}`;
const schemaA = `sa_${tag}`;
const schemaB = `sb_${tag}`;

const reader = makeProject({ title: `Databases reader ${tag}` });
const puzzled = makeProject({ title: `Databases puzzled ${tag}` });

const FQN = {
  firstShared: `pg_wh.${first}.public.${shared}`,
  secondShared: `pg_wh.${second}.public.${shared}`,
  twiceA: `pg_wh.${second}.${schemaA}.${twice}`,
  twiceB: `pg_wh.${second}.${schemaB}.${twice}`,
};

let world: World;
let summary: any;
const tableFqnById = new Map<string, string>();

before(async () => {
  const { address } = await suiteTemporal();
  await runPostgres(pg, [`CREATE TABLE public.${shared} (id int)`]);
  await runPostgres(pg, [
    `CREATE TABLE public.${shared} (id int, note text)`,
    `CREATE SCHEMA ${schemaA}`, `CREATE SCHEMA ${schemaB}`,
    `CREATE TABLE ${schemaA}.${twice} (id int)`, `CREATE TABLE ${schemaB}.${twice} (id int)`,
    // Unqualified, run in the second database: only that database's table is meant.
    withTrailingHexComment(`SELECT id, note FROM ${shared}`, reader.id),
    // Found through the session's search_path; OpenMetadata cannot tell which schema it was.
    `SET search_path = ${schemaA}, public`,
    withTrailingHexComment(`SELECT count(id) FROM ${twice}`, puzzled.id),
  ], second);
  world = await startWorld({ projects: [reader, puzzled], serviceName: SERVICE });
  const om = world.openMetadata;
  om.addDatabaseService('pg_wh', 'Postgres', postgresConnection(pg));
  for (const fqn of Object.values(FQN)) tableFqnById.set(om.addTable(fqn).id, fqn);
  const configPath = world.writeConfig((doc) => {
    // The whole service: both databases are inside the prefix, so only the row's database can decide.
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['pg_wh'] };
    doc.hexmeta = { lookbackDays: 1 };
    doc.queryHistory = { pg_wh: { marker: tag } };
  });
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
  const taskQueue = `e2e-lineage-databases-${tag}`;
  const worker = await startWorkerProcess(env, taskQueue);
  try {
    const result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    summary = JSON.parse(result.stdout);
  } finally {
    worker.kill('SIGTERM');
    await worker.output;
  }
});

after(async () => {
  await world?.close();
  await Promise.allSettled([
    runPostgres(pg, [`DROP TABLE IF EXISTS public.${shared}`]),
    runPostgres(pg, [`DROP TABLE IF EXISTS public.${shared}`, `DROP SCHEMA IF EXISTS ${schemaA} CASCADE`, `DROP SCHEMA IF EXISTS ${schemaB} CASCADE`], second),
  ]);
  await stopSuiteTemporal();
});

test('an unqualified name resolves in the database the statement ran in, not in the other one', () => {
  const dashboards = new Map(world.openMetadata.dashboards().map((d: any) => [d.id, d.name]));
  const edges = world.openMetadata.lineageEdges().map((e: any) => `${tableFqnById.get(e.fromId)} -> ${dashboards.get(e.toId)}`);
  assert.deepEqual(edges, [`${FQN.secondShared} -> ${reader.id}`]);
});

test('the table two schemas of that database hold stays unresolved and is listed as ambiguous with both candidates', () => {
  const lineage = summary.lineage[0];
  assert.equal(lineage.counts.tablesResolved, 1);
  assert.equal(lineage.counts.tablesUnresolved, 1);
  assert.deepEqual(lineage.ambiguous, [{ table: twice, database: second, candidates: [FQN.twiceA, FQN.twiceB].sort() }]);
  const warning = lineage.warnings.find((w: any) => w.item === `pg_wh:${twice} (database ${second})`);
  assert.match(warning?.reason ?? '', new RegExp(`ambiguous: .*${schemaA}.* and .*${schemaB}`));
  const text = formatSummary(summary);
  assert.match(text, /1 unresolved \(1 ambiguous\)/);
  assert.ok(text.includes(`ambiguous: ${twice} (database ${second}) could be ${[FQN.twiceA, FQN.twiceB].sort().join(' or ')}`), text);
});
