import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import {
  clickhouseConnection, flushClickhouseLogs, mariadbConnection, postgresConnection, runClickhouse, runMariadb, runPostgres,
  runTag, serviceEnv, withLeadingHexComment, withMalformedHexComment, withTrailingHexComment,
} from '../support/databases';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { OM_JWT, startWorld, type World } from '../support/world';

/*
 * One ingestion run whose lineage step reads the real query history of PostgreSQL (pg_stat_statements),
 * MariaDB (mysql.general_log) and ClickHouse (system.query_log), then checks the exact edges OpenMetadata holds.
 * Every object and statement of this run carries `tag`, and the history readers filter on it (queryHistory
 * marker), so statements of earlier runs and other suites sharing these servers never reach the counts.
 */

const MASKED = '*********';
const SERVICE = 'hex_e2e_lineage';
const MARIADB_PASSWORD_VARIABLE = 'HEXMETA_E2E_MARIADB_PASSWORD';

const pg = serviceEnv('PG');
const maria = serviceEnv('MARIADB');
const clickhouse = serviceEnv('CLICKHOUSE');
const tag = runTag();

const alpha = makeProject({ title: `Lineage alpha ${tag}` });
const beta = makeProject({ title: `Lineage beta ${tag}` });
const gamma = makeProject({ title: `Lineage gamma ${tag}` });
/** A project id from no workspace this run knows. */
const stranger = `00000000-0000-4000-8000-${tag}`;

// Warehouse-side names.
const pgSchema = `lin_${tag}`;
const pgOther = `${pg.database}_other`;
const pgNotes = `notes_${tag}`;
const mariaOther = `${maria.database}_other`;
const sales = `sales_${tag}`;
const stores = `stores_${tag}`;
const returns = `returns_${tag}`;
const events = `events_${tag}`;
const users = `users_${tag}`;
const sessions = `sessions_${tag}`;

// OpenMetadata table FQNs; MySQL-family and ClickHouse tables sit under database `default`.
const FQN = {
  pgOrders: `pg_wh.${pg.database}.${pgSchema}.orders`,
  pgCustomers: `pg_wh.${pg.database}.${pgSchema}.customers`,
  pgOtherOrders: `pg_wh.${pgOther}.${pgSchema}.orders`,
  pgOtherNotes: `pg_wh.${pgOther}.public.${pgNotes}`,
  mariaSales: `maria_wh.default.${maria.database}.${sales}`,
  mariaStores: `maria_wh.default.${maria.database}.${stores}`,
  mariaOtherSales: `maria_wh.default.${mariaOther}.${sales}`,
  chEvents: `ch_wh.default.${clickhouse.database}.${events}`,
  chSessions: `ch_wh.default.${clickhouse.database}.${sessions}`,
};

// PostgreSQL: no constants in Hex statements (pg_stat_statements would store them as $n) and no two alike.
const pgMain = {
  alphaOrders: withTrailingHexComment(`SELECT id, amount FROM ${pgSchema}.orders`, alpha.id),
  alphaJoin: withTrailingHexComment(
    `SELECT o.id, c.name FROM ${pgSchema}.orders o JOIN ${pgSchema}.customers c ON c.id = o.customer_id`, alpha.id),
  betaRefunds: withTrailingHexComment(
    `SELECT r.id, c.name FROM ${pgSchema}.refunds r JOIN ${pgSchema}.customers c ON c.id = r.customer_id`, beta.id),
  strangerCustomers: withTrailingHexComment(`SELECT count(*) FROM ${pgSchema}.customers`, stranger),
  malformed: withMalformedHexComment(`SELECT max(id) FROM ${pgSchema}.orders`),
  noise: `SELECT min(amount) FROM ${pgSchema}.orders`,
};
const pgInOther = {
  gammaOrders: withTrailingHexComment(`SELECT id, region FROM ${pgSchema}.orders`, gamma.id),
  // Unqualified: found by search, and it lies outside the prefix.
  gammaNotes: withTrailingHexComment(`SELECT id, note FROM ${pgNotes}`, gamma.id),
};

// MariaDB: the session's database is `maria.database`, so unqualified names complete to it.
const mariaQueries = {
  betaSales: withTrailingHexComment(`SELECT id FROM ${sales}`, beta.id),
  betaJoin: withTrailingHexComment(`SELECT s.id FROM ${sales} s JOIN ${stores} st ON st.id = s.store_id`, beta.id),
  gammaOtherSales: withTrailingHexComment(`SELECT id FROM ${mariaOther}.${sales}`, gamma.id),
  gammaReturns: withTrailingHexComment(`SELECT id FROM ${returns}`, gamma.id),
  gammaStores: withTrailingHexComment(`SELECT id FROM ${stores} WHERE id > 1`, gamma.id),
  strangerStores: withTrailingHexComment(`SELECT id FROM ${stores}`, stranger),
  malformed: withMalformedHexComment(`SELECT count(*) FROM ${sales}`),
  noise: `SELECT max(id) FROM ${sales} /* noise */`,
};

// ClickHouse 18.16 cuts a trailing comment from the logged text: Hex comments go first here.
const chQueries = {
  alphaEvents: withLeadingHexComment(`SELECT id FROM ${clickhouse.database}.${events}`, alpha.id),
  gammaJoin: withLeadingHexComment(
    `SELECT e.id FROM ${clickhouse.database}.${events} AS e ALL INNER JOIN ${clickhouse.database}.${users} AS u ON u.id = e.user_id`,
    gamma.id),
  // Unqualified, and 18.16 logs no current database: resolved by searching the service.
  gammaSessions: withLeadingHexComment(`SELECT id FROM ${sessions}`, gamma.id),
  strangerSessions: withLeadingHexComment(`SELECT id FROM ${clickhouse.database}.${sessions}`, stranger),
  alphaCount: withLeadingHexComment(`SELECT count() FROM ${clickhouse.database}.${events}`, alpha.id),
  malformed: `-- Hex query metadata: {"project_id": "not closed\nSELECT count() FROM ${clickhouse.database}.${events}`,
  noise: `SELECT id FROM ${clickhouse.database}.${events} /* noise */ WHERE 1`,
};

/** Expected edges (table FQN -> dashboard name) with the statements any of which may have written each. */
const EXPECTED_EDGES: Record<string, string[]> = {
  [`${FQN.pgOrders} -> ${alpha.id}`]: [pgMain.alphaOrders, pgMain.alphaJoin],
  [`${FQN.pgCustomers} -> ${alpha.id}`]: [pgMain.alphaJoin],
  [`${FQN.pgCustomers} -> ${beta.id}`]: [pgMain.betaRefunds],
  [`${FQN.mariaSales} -> ${beta.id}`]: [mariaQueries.betaSales, mariaQueries.betaJoin],
  [`${FQN.mariaStores} -> ${beta.id}`]: [mariaQueries.betaJoin],
  [`${FQN.mariaStores} -> ${gamma.id}`]: [mariaQueries.gammaStores],
  [`${FQN.chEvents} -> ${alpha.id}`]: [chQueries.alphaEvents, chQueries.alphaCount],
  [`${FQN.chEvents} -> ${gamma.id}`]: [chQueries.gammaJoin],
  [`${FQN.chSessions} -> ${gamma.id}`]: [chQueries.gammaSessions],
};

async function seedPostgres(): Promise<void> {
  await runPostgres(pg, [
    `CREATE SCHEMA ${pgSchema}`,
    `CREATE TABLE ${pgSchema}.orders (id int, amount int, customer_id int)`,
    `CREATE TABLE ${pgSchema}.customers (id int, name text)`,
    `CREATE TABLE ${pgSchema}.refunds (id int, customer_id int)`,
    ...Object.values(pgMain),
  ]);
  await runPostgres(pg, [
    `CREATE SCHEMA ${pgSchema}`,
    `CREATE TABLE ${pgSchema}.orders (id int, region text)`,
    `CREATE TABLE public.${pgNotes} (id int, note text)`,
    ...Object.values(pgInOther),
  ], pgOther);
}

async function seedMariadb(): Promise<void> {
  await runMariadb(maria, [
    `CREATE TABLE ${sales} (id int, store_id int)`,
    `CREATE TABLE ${stores} (id int)`,
    `CREATE TABLE ${returns} (id int)`,
    `CREATE TABLE ${mariaOther}.${sales} (id int)`,
    ...Object.values(mariaQueries),
  ]);
}

async function seedClickhouse(): Promise<void> {
  const db = clickhouse.database;
  await runClickhouse(clickhouse, `CREATE TABLE ${db}.${events} (id UInt32, user_id UInt32) ENGINE = Memory`);
  await runClickhouse(clickhouse, `CREATE TABLE ${db}.${users} (id UInt32) ENGINE = Memory`);
  await runClickhouse(clickhouse, `CREATE TABLE ${db}.${sessions} (id UInt32) ENGINE = Memory`);
  for (const sql of Object.values(chQueries)) await runClickhouse(clickhouse, sql);
  await flushClickhouseLogs(clickhouse);
}

async function dropWarehouseObjects(): Promise<void> {
  await Promise.allSettled([
    runPostgres(pg, [`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`]),
    runPostgres(pg, [`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`, `DROP TABLE IF EXISTS public.${pgNotes}`], pgOther),
    runMariadb(maria, [sales, stores, returns, `${mariaOther}.${sales}`].map((t) => `DROP TABLE IF EXISTS ${t}`)),
    ...[events, users, sessions].map((t) => runClickhouse(clickhouse, `DROP TABLE IF EXISTS ${clickhouse.database}.${t}`)),
  ]);
}

// The warehouses' history is made once; each OpenMetadata release gets its own world and ingestions of it.
let warehousesSeeded: Promise<unknown>;
before(() => {
  warehousesSeeded = Promise.all([seedPostgres(), seedMariadb(), seedClickhouse()]);
});

after(async () => {
  await dropWarehouseObjects();
  await stopSuiteTemporal();
});

for (const omVersion of ['1.12.6', '2.0.7']) {
  describe(`against OpenMetadata ${omVersion}`, () => {
    let world: World;
    let ingest: () => Promise<{ result: CliResult; workerOutput: CliResult }>;
    let result: CliResult;
    let workerOutput: CliResult;
    let summary: any;
    let history: string;
    const tableFqnById = new Map<string, string>();

    function seedOpenMetadata(world: World): void {
      const om = world.openMetadata;
      om.addDatabaseService('pg_wh', 'Postgres', postgresConnection(pg));
      // Stored masked: the workflow file's `warehouses:` entry supplies the connection.
      om.addDatabaseService('maria_wh', 'MariaDB', mariadbConnection(maria, MASKED));
      om.addDatabaseService('ch_wh', 'Clickhouse', clickhouseConnection(clickhouse));
      // Masked and absent from the workflow file: no usable connection.
      om.addDatabaseService('ghost_wh', 'Postgres', postgresConnection(pg, MASKED));
      // refunds, returns_* and users_* are read by Hex queries but unknown to OpenMetadata.
      for (const fqn of Object.values(FQN)) tableFqnById.set(om.addTable(fqn).id, fqn);
    }

    before(async () => {
      const { address } = await suiteTemporal();
      await warehousesSeeded;
      world = await startWorld({ projects: [alpha, beta, gamma], serviceName: SERVICE, openMetadata: { version: omVersion } });
      seedOpenMetadata(world);
      const configPath = world.writeConfig((doc) => {
        doc.source.sourceConfig.config.lineageInformation = {
          // One of each form: service.database, service.database.schema, service; and one without a connection.
          dbServicePrefixes: [`pg_wh.${pg.database}`, `maria_wh.default.${maria.database}`, 'ch_wh', 'ghost_wh'],
        };
        doc.hexmeta = { lookbackDays: 1 };
        doc.warehouses = { maria_wh: mariadbConnection(maria, `\${${MARIADB_PASSWORD_VARIABLE}}`) };
        doc.queryHistory = { pg_wh: { marker: tag }, maria_wh: { marker: tag }, ch_wh: { marker: tag } };
      });
      const env = cliEnv({ ...world.secretsEnv, [MARIADB_PASSWORD_VARIABLE]: maria.password, TEMPORAL_ADDRESS: address });
      const taskQueue = `e2e-lineage-${tag}`;
      // One ingestion of the workflow file with a worker of its own, so per-run caches start empty every time.
      ingest = async () => {
        const worker = await startWorkerProcess(env, taskQueue);
        let ran: CliResult;
        try {
          ran = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
        } finally {
          worker.kill('SIGTERM');
        }
        return { result: ran, workerOutput: await worker.output };
      };
      ({ result, workerOutput } = await ingest());
      assert.equal(result.code, 0, `${result.stderr}\n${workerOutput.stderr}`);
      summary = JSON.parse(result.stdout);
      const { client, close } = await temporalClient(address);
      try {
        history = JSON.stringify(await client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}`).fetchHistory());
      } finally {
        await close();
      }
    });

    after(async () => {
      await world?.close();
    });

    function edgeLabels(): Map<string, any> {
      const dashboardNameById = new Map(world.openMetadata.dashboards().map((d: any) => [d.id, d.name]));
      const labels = new Map<string, any>();
      for (const edge of world.openMetadata.lineageEdges()) {
        const from = tableFqnById.get(edge.fromId) ?? `${edge.fromType}:${edge.fromId}`;
        const to = dashboardNameById.get(edge.toId) ?? `${edge.toType}:${edge.toId}`;
        const label = `${from} -> ${to}`;
        assert.ok(!labels.has(label), `one edge per pair: ${label}`);
        labels.set(label, edge);
      }
      return labels;
    }

    test('the run ends done with a dashboard per project', () => {
      assert.equal(summary.phase, 'done');
      assert.equal(summary.dashboardsCreated, 3);
      assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
      assert.deepEqual(summary.lineage.map((l: any) => l.prefix), [`pg_wh.${pg.database}`, `maria_wh.default.${maria.database}`, 'ch_wh', 'ghost_wh']);
      // The run created all three dashboards, so nothing fed them before: only the stranger's project is read (404).
      const lineageReads = world.openMetadata.requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/lineage/dashboard/name/'));
      assert.deepEqual(lineageReads.map((r) => r.status), [404]);
    });

    test('OpenMetadata holds exactly the table -> dashboard edges the Hex queries read, one per pair', () => {
      const labels = edgeLabels();
      assert.deepEqual([...labels.keys()].sort(), Object.keys(EXPECTED_EDGES).sort());
      for (const edge of labels.values()) {
        assert.equal(edge.fromType, 'table');
        assert.equal(edge.toType, 'dashboard');
      }
    });

    test('each edge carries the Hex SQL that found it and the dashboard-lineage source', () => {
      const labels = edgeLabels();
      for (const [label, statements] of Object.entries(EXPECTED_EDGES)) {
        const details = labels.get(label)?.lineageDetails;
        assert.ok(details, `edge ${label}`);
        assert.equal(details.source, 'DashboardLineage');
        assert.ok(statements.includes(details.sqlQuery), `${label}: SQL ${JSON.stringify(details.sqlQuery)}`);
        assert.match(details.sqlQuery, /-- Hex query metadata: \{/);
      }
    });

    test('per-prefix counts: Hex queries, tables resolved, unresolved and outside the prefix, edges written', () => {
      const countsOf = (prefix: string) => summary.lineage.find((l: any) => l.prefix === prefix);
      const expected: Record<string, { dialect: string; counts: Record<string, number>; noise: number }> = {
        // Hex queries: 4 in the prefix's database (1 of an unknown project) + 2 in the other database.
        [`pg_wh.${pg.database}`]: {
          dialect: 'postgres', noise: 2,
          counts: { hexQueries: 6, projectsUnknown: 1, tablesResolved: 4, tablesUnresolved: 1, tablesOutsidePrefix: 2, edgesWritten: 3, edgesExisting: 0 },
        },
        [`maria_wh.default.${maria.database}`]: {
          dialect: 'mysql', noise: 2,
          counts: { hexQueries: 6, projectsUnknown: 1, tablesResolved: 4, tablesUnresolved: 1, tablesOutsidePrefix: 1, edgesWritten: 3, edgesExisting: 0 },
        },
        ch_wh: {
          dialect: 'clickhouse', noise: 2,
          counts: { hexQueries: 5, projectsUnknown: 1, tablesResolved: 4, tablesUnresolved: 1, tablesOutsidePrefix: 0, edgesWritten: 3, edgesExisting: 0 },
        },
      };
      for (const [prefix, want] of Object.entries(expected)) {
        const got = countsOf(prefix);
        assert.ok(got, `summary entry for ${prefix}`);
        assert.equal(got.dialect, want.dialect, prefix);
        const { queriesRead, ...rest } = got.counts;
        assert.deepEqual(rest, want.counts, prefix);
        // Table set-up statements carry the tag too, so the history holds at least the Hex and noise statements.
        assert.ok(queriesRead >= want.counts.hexQueries + want.noise, `${prefix}: ${queriesRead} queries read`);
      }
    });

    test('tables read but absent from OpenMetadata are reported by warehouse name', () => {
      const unresolved = (prefix: string) => summary.lineage.find((l: any) => l.prefix === prefix).warnings.map((w: any) => w.item).sort();
      assert.deepEqual(unresolved(`pg_wh.${pg.database}`), [`pg_wh:${pg.database}.${pgSchema}.refunds`]);
      assert.deepEqual(unresolved(`maria_wh.default.${maria.database}`), [`maria_wh:${maria.database}.${returns}`]);
      assert.deepEqual(unresolved('ch_wh'), [`ch_wh:${clickhouse.database}.${users}`]);
    });

    test('a prefix whose service has no usable connection is a warning naming it, not a failure', () => {
      const ghost = summary.lineage.find((l: any) => l.prefix === 'ghost_wh');
      assert.equal(ghost.dialect, null);
      assert.deepEqual(Object.values(ghost.counts), Object.values(ghost.counts).map(() => 0));
      assert.equal(ghost.warnings.length, 1);
      assert.equal(ghost.warnings[0].item, 'ghost_wh');
      assert.match(ghost.warnings[0].reason, /masked/);
      assert.match(ghost.warnings[0].reason, /warehouses\.ghost_wh/);
      assert.ok(summary.warnings.some((w: any) => w.item === 'ghost_wh'), 'the run summary carries the warning');
    });

    test('warehouse passwords reach neither the workflow history nor any output', () => {
      for (const secret of new Set([pg.password, maria.password, clickhouse.password])) {
        assert.ok(!history.includes(secret), 'password in workflow history');
        for (const text of [result.stdout, result.stderr, workerOutput.stdout, workerOutput.stderr]) {
          assert.ok(!text.includes(secret), 'password in CLI or worker output');
        }
      }
    });

    /** Counts per prefix of a run's summary: [edgesWritten, edgesExisting]. */
    function edgeCounts(runSummary: any): Record<string, [number, number]> {
      const out: Record<string, [number, number]> = {};
      for (const l of runSummary.lineage) if (l.counts) out[l.prefix] = [l.counts.edgesWritten, l.counts.edgesExisting];
      return out;
    }

    /** Runs the same ingestion again and returns its summary and the OpenMetadata requests it made. */
    async function ingestAgain() {
      const from = world.openMetadata.requests.length;
      const again = await ingest();
      assert.equal(again.result.code, 0, `${again.result.stderr}\n${again.workerOutput.stderr}`);
      const requests = world.openMetadata.requests.slice(from);
      return {
        summary: JSON.parse(again.result.stdout),
        lineagePuts: requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/v1/lineage')),
        lineageReads: requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/lineage/dashboard/name/')),
        dashboardReads: requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/dashboards/name/')),
        tableReads: requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/tables/name/')).map((r) => decodeURIComponent(r.path.split('/v1/tables/name/')[1])),
      };
    }

    test('a re-run over the same history writes no edge OpenMetadata has, and writes again one deleted in between', async () => {
      const first = edgeCounts(summary);
      const second = await ingestAgain();
      assert.equal(second.lineagePuts.length, 0, 'no lineage write when nothing changed');
      assert.deepEqual(edgeCounts(second.summary), Object.fromEntries(Object.entries(first).map(([prefix, [written]]) => [prefix, [0, written]])));
      // One lineage read per project the queries name (the stranger's is a 404), in place of the dashboard look-up.
      assert.equal(second.lineageReads.length, 4, second.lineageReads.map((r) => r.path).join('\n'));
      assert.equal(new Set(second.lineageReads.map((r) => r.path)).size, 4);
      assert.ok(second.lineageReads.every((r) => r.query.upstreamDepth === '1' && r.query.downstreamDepth === '0'));
      assert.deepEqual(second.lineageReads.map((r) => r.status).sort(), [200, 200, 200, 404]);
      assert.equal(second.dashboardReads.length, 0);
      // Tables already upstream of their dashboard are known from that read: not looked up again.
      const upstreamTables = new Set(Object.keys(EXPECTED_EDGES).map((label) => label.split(' -> ')[0]));
      assert.deepEqual(second.tableReads.filter((fqn: string) => upstreamTables.has(fqn)), []);
      assert.deepEqual([...edgeLabels().keys()].sort(), Object.keys(EXPECTED_EDGES).sort());

      // Someone removes one edge in OpenMetadata: the next run puts that one back, and only that one.
      const removed = edgeLabels().get(`${FQN.chEvents} -> ${gamma.id}`);
      const deletion = await fetch(`${world.openMetadata.url}/v1/lineage/table/${removed.fromId}/dashboard/${removed.toId}`, {
        method: 'DELETE', headers: { Authorization: `Bearer ${OM_JWT}` },
      });
      assert.equal(deletion.status, 200);
      assert.equal(edgeLabels().size, Object.keys(EXPECTED_EDGES).length - 1);
      const third = await ingestAgain();
      assert.deepEqual(third.lineagePuts.map((r: any) => [r.body.edge.fromEntity.id, r.body.edge.toEntity.id, r.status]), [[removed.fromId, removed.toId, 200]]);
      const expected = edgeCounts(second.summary);
      expected.ch_wh = [1, expected.ch_wh[1] - 1];
      assert.deepEqual(edgeCounts(third.summary), expected);
      assert.deepEqual([...edgeLabels().keys()].sort(), Object.keys(EXPECTED_EDGES).sort());
    });
  });
}
