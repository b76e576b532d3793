import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runIngestion } from '../../client/index';
import { makeProject, makeSqlCell, type HexCell, type HexDataConnection } from '../../servers/hexServer';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { HEX_TOKEN, startWorld, type World } from '../support/world';

/*
 * Charts, cell-SQL lineage and usage through a real worker: projects with chart cells, SQL cells on a
 * PostgreSQL and a Snowflake connection, a component, and app views; OpenMetadata knows the warehouses' tables.
 */

const TASK_QUEUE = 'e2e-cells';
const SERVICE = 'hex_cells';
const NO_SCOPE_TOKEN = 'hxtw_' + 'c3'.repeat(48);

const pgConnection: HexDataConnection = {
  id: randomUUID(), name: 'Sales DB', type: 'postgres',
  connectionDetails: { postgres: { hostname: 'db.internal', port: 5432, database: 'sales', username: 'hex' } },
};
const snowflakeConnection: HexDataConnection = {
  id: randomUUID(), name: 'Snowflake – Analytics', type: 'snowflake',
  connectionDetails: { snowflake: { accountName: 'acme-xy', warehouse: 'HEX_WH', database: 'ANALYTICS', schema: 'FINANCE', username: 'HEX', role: null } },
};
const otherConnection: HexDataConnection = { id: randomUUID(), name: 'Local DuckDB', type: 'duckdb', connectionDetails: null };

const revenue = makeProject({ title: 'Revenue review', analytics: { appViews: { allTime: 900, lastSevenDays: 70, lastFourteenDays: 120, lastThirtyDays: 300 }, lastViewedAt: null, publishedResultsUpdatedAt: null } as never });
const churn = makeProject({ title: 'Churn watch', analytics: { appViews: { allTime: 0, lastSevenDays: 0, lastFourteenDays: 0, lastThirtyDays: 0 }, lastViewedAt: null, publishedResultsUpdatedAt: null } as never });
const component = makeProject({ title: 'Revenue metrics component', type: 'COMPONENT' });

function chartCell(projectId: string, cellType: string, label: string | null): HexCell {
  return {
    id: randomUUID(), staticId: randomUUID(), cellType, label, dataConnectionId: null,
    contents: { codeCell: null, sqlCell: null, markdownCell: null }, projectId,
  };
}

const revenueCells: HexCell[] = [
  makeSqlCell(revenue.id, 'select o.region, sum(o.amount) from public.orders o join public.customers c on c.id = o.customer_id group by 1', { dataConnectionId: pgConnection.id, label: 'Orders by region' }),
  chartCell(revenue.id, 'VEGA_CHART', 'Revenue by region'),
  chartCell(revenue.id, 'DISPLAY_TABLE', null),
  { ...chartCell(revenue.id, 'MARKDOWN', null), contents: { codeCell: null, sqlCell: null, markdownCell: { source: '## Notes' } } },
  // Unqualified in Snowflake: completed to the connection's ANALYTICS.FINANCE, found case-insensitively.
  makeSqlCell(revenue.id, 'select * from invoices where invoice_date >= {{ start_date }}', { dataConnectionId: snowflakeConnection.id }),
  // Dataframe SQL has no connection: no warehouse tables.
  makeSqlCell(revenue.id, 'select * from dataframe_1', { dataConnectionId: null }),
];
const churnCells: HexCell[] = [
  makeSqlCell(churn.id, 'select * from public.customers where churned_at is not null', { dataConnectionId: pgConnection.id }),
  makeSqlCell(churn.id, 'select * from public.missing_table', { dataConnectionId: pgConnection.id }),
  makeSqlCell(churn.id, 'select 1', { dataConnectionId: otherConnection.id }),
  chartCell(churn.id, 'CHART', 'Churn over time'),
];

let world: World;
let worker: InProcessWorker;
const tables: Record<string, string> = {};

function configFor(options: { charts?: boolean; cellLineage?: boolean; token?: string } = {}): string {
  return world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['sales_pg', 'snow'] };
    doc.hexmeta = { charts: options.charts ?? true, cellLineage: options.cellLineage ?? true, hexCellRequestsPerMinute: 6000 };
    if (options.token) doc.source.serviceConnection.config.token = '${HEX_TOKEN_NO_CELLS}';
  }, `hex-${randomUUID()}.yaml`);
}

before(async () => {
  world = await startWorld({
    projects: [revenue, churn, component],
    serviceName: SERVICE,
    hex: {
      cells: { [revenue.id]: revenueCells, [churn.id]: churnCells },
      dataConnections: [pgConnection, snowflakeConnection, otherConnection],
      tokens: { [HEX_TOKEN]: { kind: 'workspace' }, [NO_SCOPE_TOKEN]: { kind: 'workspace', cellsScope: false } },
    },
  });
  world.openMetadata.addDatabaseService('sales_pg', 'Postgres');
  world.openMetadata.addDatabaseService('snow', 'Snowflake');
  for (const fqn of ['sales_pg.sales.public.orders', 'sales_pg.sales.public.customers', 'snow.ANALYTICS.FINANCE.INVOICES']) {
    tables[fqn] = world.openMetadata.addTable(fqn).id;
  }
  worker = await startInProcessWorker(TASK_QUEUE, { ...world.secretsEnv, HEX_TOKEN_NO_CELLS: NO_SCOPE_TOKEN });
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

const run = (source: string) => runIngestion({ client: worker.client, source, taskQueue: TASK_QUEUE, env: world.secretsEnv });
const requestsTo = (from: number, method: string, pattern: RegExp) =>
  world.openMetadata.requests.slice(from).filter((r) => r.method === method && pattern.test(r.path));

test('chart cells and components become charts, SQL cells become lineage, app views become usage', async () => {
  const summary = await run(configFor());
  assert.equal(summary.dashboardsCreated, 2);
  assert.equal(summary.componentsSeen, 1);
  // 2 + 1 chart cells of the projects, plus the component.
  assert.equal(summary.chartsWritten, 4);
  assert.equal(summary.cellsRead, revenueCells.length + churnCells.length);
  assert.equal(summary.sqlCells, 5);
  assert.equal(summary.cellTablesResolved, 4);
  assert.equal(summary.cellTablesUnresolved, 1);
  assert.equal(summary.cellEdgesWritten, 4);
  assert.equal(summary.usageReported, 1);
  assert.ok(summary.warnings.some((w) => /duckdb/.test(w.reason)), JSON.stringify(summary.warnings));

  const dashboards = new Map(world.openMetadata.dashboards().map((d) => [d.name, d]));
  const revenueDashboard = dashboards.get(revenue.id)!;
  const chartNames = revenueDashboard.charts.map((c: { fullyQualifiedName: string }) => c.fullyQualifiedName).sort();
  assert.deepEqual(chartNames, [revenueCells[1].staticId, revenueCells[2].staticId].map((id) => `${SERVICE}.${id}`).sort());
  assert.deepEqual(dashboards.get(churn.id)!.charts.map((c: { name: string }) => c.name), [churnCells[3].staticId]);
  assert.equal(dashboards.has(component.id), false, 'a component is a chart, not a dashboard');

  const chartPuts = requestsTo(0, 'PUT', /\/charts$/).map((r) => r.body as { name: string; displayName: string; chartType: string });
  const componentChart = chartPuts.find((c) => c.name === component.id)!;
  assert.equal(componentChart.displayName, 'Revenue metrics component');
  assert.equal(chartPuts.find((c) => c.name === revenueCells[2].staticId)!.chartType, 'Table');

  const edges = world.openMetadata.lineageEdges().map((e) => `${e.fromId}>${e.toId}`).sort();
  assert.deepEqual(edges, [
    `${tables['sales_pg.sales.public.orders']}>${revenueDashboard.id}`,
    `${tables['sales_pg.sales.public.customers']}>${revenueDashboard.id}`,
    `${tables['snow.ANALYTICS.FINANCE.INVOICES']}>${revenueDashboard.id}`,
    `${tables['sales_pg.sales.public.customers']}>${dashboards.get(churn.id)!.id}`,
  ].sort());
  const snowflakeEdge = world.openMetadata.lineageEdges().find((e) => e.fromId === tables['snow.ANALYTICS.FINANCE.INVOICES'])!;
  assert.match(JSON.stringify(snowflakeEdge.lineageDetails), /Hex SQL cell .* on Snowflake – Analytics/);

  assert.equal(revenueDashboard.usageSummary.dailyStats.count, 10);
  assert.equal(dashboards.get(churn.id)!.usageSummary, undefined);
});

test('an unchanged workspace is read without its cells and written nothing on the same day', async () => {
  const from = world.openMetadata.requests.length;
  const hexFrom = world.hex.requests.length;
  const summary = await run(configFor());
  assert.equal(summary.dashboardsUnchanged, 2);
  assert.equal(summary.cellsRead, 0);
  assert.equal(world.hex.requests.slice(hexFrom).filter((r) => r.path.endsWith('/cells')).length, 0);
  // Nothing but the preparation's service and classification PUTs: the component's chart is unchanged too.
  assert.deepEqual(world.openMetadata.requests.slice(from).filter((r) => r.method !== 'GET').map((r) => r.path),
    ['/api/v1/services/dashboardServices', '/api/v1/classifications']);
  assert.equal(summary.usageReported, 0);
  assert.equal(summary.chartsWritten, 0);
});

test('an edited project has its cells read again; charts follow the cells', async () => {
  const edited = { ...churn, lastEditedAt: new Date().toISOString() };
  world.hex.setProjects([revenue, edited, component]);
  const hexFrom = world.hex.requests.length;
  const summary = await run(configFor());
  assert.equal(summary.dashboardsUpdated, 1);
  assert.equal(summary.dashboardsUnchanged, 1);
  assert.equal(world.hex.requests.slice(hexFrom).filter((r) => r.path.endsWith('/cells')).length, 1);
  assert.equal(summary.cellsRead, churnCells.length);
  assert.equal(summary.chartsWritten, 0, 'its chart cell is unchanged');
});

test('a token without the cells scope: dashboards still written, one warning, cells read on a later run', async () => {
  const fresh = makeProject({ title: 'Fresh project' });
  world.hex.setProjects([fresh]);
  const summary = await run(configFor({ token: NO_SCOPE_TOKEN }));
  assert.equal(summary.dashboardsCreated, 1);
  assert.equal(summary.chartsWritten, 0);
  assert.equal(summary.warnings.filter((w) => /Cells → Read/.test(w.reason)).length, 1);
  const again = await run(configFor());
  assert.equal(again.dashboardsUpdated + again.dashboardsUnchanged, 1);
  assert.equal(again.cellsRead, 0, 'the project has no cells, but they were asked for');
  assert.ok(world.hex.requests.some((r) => r.path.endsWith('/cells') && r.query.projectId === fresh.id));
});
