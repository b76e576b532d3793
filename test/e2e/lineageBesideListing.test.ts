import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runIngestion, type IngestionSummary } from '../../client/index';
import { makeWorkspace } from '../../servers/hexServer';
import { mariadbConnection, runMariadb, runTag, serviceEnv, withTrailingHexComment } from '../support/databases';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { HEX_TOKEN, startWorld, type World } from '../support/world';

/*
 * Lineage runs beside the listing: edges of projects already listed are written while Hex still paces the
 * pages, rows of projects not listed yet wait for their dashboards, and the result equals a run done in order.
 */

const TASK_QUEUE = 'e2e-lineage-beside';
const SERVICE = 'hex_lineage_beside';
const PASSWORD_VARIABLE = 'HEXMETA_E2E_BESIDE_MARIADB_PASSWORD';
const maria = serviceEnv('MARIADB');
const tag = runTag();
const orders = `orders_${tag}`;
const projects = makeWorkspace(400, 11).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).slice(0, 300);
/** Every tenth project runs a query, so each of the three pages has some. */
const querying = projects.filter((_, i) => i % 10 === 0);

let world: World;
let worker: InProcessWorker;
let summary: IngestionSummary;
let tableId: string;

before(async () => {
  await runMariadb(maria, [
    `CREATE TABLE ${orders} (id INT, n INT)`,
    ...querying.map((p, i) => withTrailingHexComment(`SELECT id FROM ${orders} WHERE n = ${i}`, p.id)),
  ]);
  // Each page takes a while, as under Hex's rate limit.
  world = await startWorld({ projects, serviceName: SERVICE, hex: { latencyMs: 1500 } });
  world.openMetadata.addDatabaseService('maria_beside', 'MariaDB', mariadbConnection(maria, '*********'));
  tableId = world.openMetadata.addTable(`maria_beside.default.${maria.database}.${orders}`).id;
  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['maria_beside'] };
    doc.hexmeta = { lookbackDays: 1, usage: false };
    doc.warehouses = { maria_beside: mariadbConnection(maria, `\${${PASSWORD_VARIABLE}}`) };
    doc.queryHistory = { maria_beside: { marker: tag } };
  });
  worker = await startInProcessWorker(TASK_QUEUE, { ...world.secretsEnv, [PASSWORD_VARIABLE]: maria.password });
  summary = await runIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env: world.secretsEnv });
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await runMariadb(maria, [`DROP TABLE IF EXISTS ${orders}`]).catch(() => undefined);
  await stopSuiteTemporal();
});

test('every querying project gets its edge once, with the counts of a run done in order', () => {
  assert.equal(summary.dashboardsCreated, projects.length);
  const counts = summary.lineage[0].counts;
  assert.deepEqual({ ...counts }, {
    // The CREATE TABLE names the marked table too: read, but not a Hex query.
    queriesRead: querying.length + 1, hexQueries: querying.length, tablesResolved: querying.length, tablesUnresolved: 0,
    tablesOutsidePrefix: 0, projectsUnknown: 0, edgesWritten: querying.length, edgesExisting: 0,
  });
  const dashboards = new Map(world.openMetadata.dashboards().map((d) => [d.name, d.id]));
  const edges = world.openMetadata.lineageEdges().map((e) => `${e.fromId}>${e.toId}`).sort();
  assert.deepEqual(edges, querying.map((p) => `${tableId}>${dashboards.get(p.id)}`).sort());
});

test('edges are written while the listing still runs, and no dashboard is looked up before it exists', () => {
  const pages = world.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100');
  assert.equal(pages.length, 3);
  const lineageWrites = world.openMetadata.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/v1/lineage'));
  assert.ok(lineageWrites[0].receivedAt < pages[pages.length - 1].receivedAt,
    `first edge ${lineageWrites[0].receivedAt - pages[0].receivedAt} ms after the first page, last page asked at ${pages[pages.length - 1].receivedAt - pages[0].receivedAt} ms`);
  // Dashboards this run created need no lineage read; none was read while missing.
  const lineageReads = world.openMetadata.requests.filter((r) => r.method === 'GET' && r.path.includes('/v1/lineage/dashboard/name/'));
  assert.deepEqual(lineageReads.map((r) => r.status), []);
});

/**
 * A second service over the same workspace, with its own Hex and OpenMetadata stand-ins: `table` registered in
 * OpenMetadata, and a workflow file reading the MariaDB history marked with `marker`.
 */
async function startOtherWorld(suffix: string, hexLatencyMs: number, table: string, marker: string) {
  const other = await startWorld({ projects, serviceName: `${SERVICE}_${suffix}`, hex: { latencyMs: hexLatencyMs } });
  other.openMetadata.addDatabaseService('maria_beside', 'MariaDB', mariadbConnection(maria, '*********'));
  const tableId = other.openMetadata.addTable(`maria_beside.default.${maria.database}.${table}`).id;
  const configPath = other.writeConfig((doc) => {
    // The worker's environment points at the first world: name this one's servers in the file.
    doc.source.serviceConnection.config.hostPort = other.hex.url;
    doc.workflowConfig.openMetadataServerConfig.hostPort = other.openMetadata.url;
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['maria_beside'] };
    doc.hexmeta = { lookbackDays: 1, usage: false };
    doc.warehouses = { maria_beside: mariadbConnection(maria, `\${${PASSWORD_VARIABLE}}`) };
    doc.queryHistory = { maria_beside: { marker } };
  });
  return { other, tableId, configPath };
}

test('past the bound on waiting rows, the prefix is read again after the listing, with the same result', async () => {
  // A second service over the same workspace and history; at most 5 table names may wait.
  const { other, tableId: otherTable, configPath } = await startOtherWorld('bounded', 300, orders, tag);
  process.env.HEXMETA_LINEAGE_MAX_WAITING_NAMES = '5';
  try {
    const env = { ...other.secretsEnv, [PASSWORD_VARIABLE]: maria.password };
    const bounded = await runIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env, fullHistory: true });
    assert.deepEqual(bounded.lineage[0].counts, summary.lineage[0].counts);
    const dashboards = new Map(other.openMetadata.dashboards().map((d) => [d.name, d.id]));
    const edges = other.openMetadata.lineageEdges().map((e) => `${e.fromId}>${e.toId}`).sort();
    assert.deepEqual(edges, querying.map((p) => `${otherTable}>${dashboards.get(p.id)}`).sort());
    const history = await worker.client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}_bounded`).fetchHistory();
    const lineageActivities = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'lineageForPrefix');
    assert.equal(lineageActivities.length, 2, 'beside the listing, then again after it');
  } finally {
    delete process.env.HEXMETA_LINEAGE_MAX_WAITING_NAMES;
    await other.close();
  }
});

test('a read beside the listing that fails for good is read again after the listing, with the same result', async () => {
  const { other, tableId: otherTable, configPath } = await startOtherWorld('failed', 300, orders, tag);
  // The first edge write is refused for good (400): the read beside the listing fails at once, without retries.
  other.openMetadata.injectFault({ path: /\/v1\/lineage$/, status: 400, body: { code: 400, message: 'refused once' }, times: 1 });
  try {
    const env = { ...other.secretsEnv, [PASSWORD_VARIABLE]: maria.password };
    const result = await runIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env, fullHistory: true });
    const refused = other.openMetadata.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/v1/lineage') && r.status === 400);
    assert.equal(refused.length, 1, 'the fault hit an edge write');
    assert.deepEqual(result.warnings.filter((w) => /lineage/.test(w.reason)), []);
    // Edges the failed read wrote before it failed are found there by the second read: same pairs, other split.
    const counts = result.lineage[0].counts!;
    const expected = summary.lineage[0].counts!;
    assert.deepEqual({ ...counts, edgesWritten: counts.edgesWritten + counts.edgesExisting, edgesExisting: 0 }, { ...expected });
    const dashboards = new Map(other.openMetadata.dashboards().map((d) => [d.name, d.id]));
    const edges = other.openMetadata.lineageEdges().map((e) => `${e.fromId}>${e.toId}`).sort();
    assert.deepEqual(edges, querying.map((p) => `${otherTable}>${dashboards.get(p.id)}`).sort());
    const history = await worker.client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}_failed`).fetchHistory();
    const lineageActivities = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'lineageForPrefix');
    assert.equal(lineageActivities.length, 2, 'beside the listing, then again after it');
  } finally {
    await other.close();
  }
});

test('past the memory budget for waiting rows, history is read on only as the listing frees them', async () => {
  const budgetTable = `budget_${tag}`;
  // Slow pages, so that edges written as soon as their dashboards exist would come before the last page.
  const { other, tableId: table, configPath } = await startOtherWorld('budget', 1500, budgetTable, budgetTable);
  try {
    // The listing's order, from the Hex stand-in itself: the first page and the last.
    const listed: string[] = [];
    let after: string | undefined;
    do {
      const response = await fetch(`${other.hex.url}/api/v1/projects?limit=100${after ? `&after=${after}` : ''}`, { headers: { Authorization: `Bearer ${HEX_TOKEN}` } });
      const page = await response.json() as { values: { id: string }[]; pagination: { after?: string | null } };
      listed.push(...page.values.map((p) => p.id));
      after = page.pagination.after ?? undefined;
    } while (after);
    const firstPage = listed.slice(0, 100);
    const lastPage = listed.slice(-100);
    // The first history page (500 rows) is all projects listed last; the second, projects listed first.
    await runMariadb(maria, [
      `CREATE TABLE ${budgetTable} (id INT, n INT)`,
      ...lastPage.flatMap((id, i) => Array.from({ length: 5 }, (_, k) => withTrailingHexComment(`SELECT id FROM ${budgetTable} WHERE n = ${i * 5 + k}`, id))),
      ...firstPage.map((id, i) => withTrailingHexComment(`SELECT id FROM ${budgetTable} WHERE n = ${1000 + i}`, id)),
    ]);
    // About 10 KB: the first history page's rows (100 projects) are past it.
    process.env.HEXMETA_LINEAGE_WAITING_MB = '0.01';
    const env = { ...other.secretsEnv, [PASSWORD_VARIABLE]: maria.password };
    const result = await runIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env, fullHistory: true });
    const counts = result.lineage[0].counts!;
    assert.equal(counts.hexQueries, 600);
    assert.equal(counts.edgesWritten, 200);
    const dashboards = new Map(other.openMetadata.dashboards().map((d) => [d.name, d.id]));
    const edges = other.openMetadata.lineageEdges().map((e) => `${e.fromId}>${e.toId}`).sort();
    assert.deepEqual(edges, [...lastPage, ...firstPage].map((id) => `${table}>${dashboards.get(id)}`).sort());
    // No second reading of the prefix: the rows were held back, not dropped.
    const history = await worker.client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}_budget`).fetchHistory();
    assert.equal((history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'lineageForPrefix').length, 1);
    // The second history page was read only once the last listing page had freed the first page's rows.
    const pages = other.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100' && r.status === 200);
    const lastPageAskedAt = pages[pages.length - 1].receivedAt;
    const firstPageDashboards = new Set(firstPage.map((id) => dashboards.get(id)));
    const writes = other.openMetadata.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/v1/lineage')
      && firstPageDashboards.has((r.body as any).edge.toEntity.id));
    assert.equal(writes.length, 100);
    assert.ok(writes.every((w) => w.receivedAt >= lastPageAskedAt), `an edge of the first page written ${lastPageAskedAt - Math.min(...writes.map((w) => w.receivedAt))} ms before the last page was asked for`);
  } finally {
    delete process.env.HEXMETA_LINEAGE_WAITING_MB;
    await runMariadb(maria, [`DROP TABLE IF EXISTS ${budgetTable}`]).catch(() => undefined);
    await other.close();
  }
});
