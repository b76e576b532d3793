import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { runIngestion } from '../../client/index';
import { makeProject, makeSqlCell, makeWorkspace, type HexCell, type HexDataConnection } from '../../servers/hexServer';
import { WORKSPACE_USERS } from '../../servers/fixtures';
import { ownRuleMessage, type ValidatedBody } from '../../servers/openMetadataServer';
import { configuredOpenMetadataSpec, validationMessage } from '../../servers/openMetadataSpec';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * The local OpenMetadata server's own request rules against OpenMetadata's schemas: every body a real ingestion
 * (owners, tags, charts, cell lineage, usage, its ingestion pipeline and run statuses) sends, and the tables and
 * services tests register, is accepted by
 * both; bodies broken in the ways OpenMetadata refuses (unknown property, wrong enum, missing field) by both.
 * OpenMetadata's side runs where OPENMETADATA_SPEC_DIR names its schemas (CI sets it).
 */

const SERVICE = 'hex_rules';
const TASK_QUEUE = 'rules-agreement';
const PIPELINE_SCHEMA = 'api/services/ingestionPipelines/createIngestionPipeline.json';
const STATUS_SCHEMA = 'entity/services/ingestionPipelines/ingestionPipeline.json#/definitions/pipelineStatus';
const spec = configuredOpenMetadataSpec();

const pgConnection: HexDataConnection = {
  id: randomUUID(), name: 'Sales DB', type: 'postgres',
  connectionDetails: { postgres: { hostname: 'db.internal', port: 5432, database: 'sales', username: 'hex' } },
};
const viewed = makeProject({ title: 'Revenue review', analytics: { appViews: { allTime: 90, lastSevenDays: 70, lastFourteenDays: 80, lastThirtyDays: 85 }, lastViewedAt: null, publishedResultsUpdatedAt: null } as never });
const component = makeProject({ title: 'Metrics component', type: 'COMPONENT' });
const cells: HexCell[] = [
  makeSqlCell(viewed.id, 'select o.region, sum(o.amount) from public.orders o join public.customers c on c.id = o.customer_id group by 1', { dataConnectionId: pgConnection.id }),
  {
    id: randomUUID(), staticId: randomUUID(), cellType: 'VEGA_CHART', label: 'Revenue by region', dataConnectionId: null,
    contents: { codeCell: null, sqlCell: null, markdownCell: null }, projectId: viewed.id,
  },
];

let world: World;
let worker: InProcessWorker;
let bodies: ValidatedBody[] = [];

/** Null from both validators means accepted; a message from each means refused. */
function verdicts(schema: string, body: unknown): { own: string | null; openMetadata: string | null | 'not checked' } {
  const openMetadata = spec?.has(schema) ? validationMessage(spec, schema, body) : 'not checked';
  return { own: ownRuleMessage(schema, body), openMetadata };
}

before(async () => {
  world = await startWorld({
    projects: [...makeWorkspace(12, 3), viewed, component],
    serviceName: SERVICE,
    hex: { cells: { [viewed.id]: cells }, dataConnections: [pgConnection] },
    openMetadata: { keepValidatedBodies: true, users: WORKSPACE_USERS.map((email) => ({ name: email.split('@')[0], email })) },
  });
  world.openMetadata.addDatabaseService('sales_pg', 'Postgres');
  for (const fqn of ['sales_pg.sales.public.orders', 'sales_pg.sales.public.customers']) world.openMetadata.addTable(fqn, { columns: ['id', 'amount'] });
  worker = await startInProcessWorker(TASK_QUEUE, world.secretsEnv);
  const source = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['sales_pg'] };
    doc.hexmeta = { charts: true, cellLineage: true, usage: true, hexCellRequestsPerMinute: 6000 };
    // The run creates its pipeline and reports statuses: running, then its end state.
    doc.ingestionPipelineFQN = `${SERVICE}.hex_metadata`;
  });
  const summary = await runIngestion({ client: worker.client, source, taskQueue: TASK_QUEUE, env: world.secretsEnv });
  assert.ok(summary.cellEdgesWritten > 0 && summary.chartsWritten > 0 && summary.usageReported > 0, JSON.stringify(summary));
  bodies = world.openMetadata.validatedBodies();
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

test('an ingestion sends every kind of request body the rules cover', () => {
  const kinds = new Set(bodies.map((b) => b.schema));
  for (const kind of [
    'api/services/createDashboardService.json', 'api/classification/createClassification.json', 'api/classification/createTag.json',
    'api/data/createDashboard.json', 'api/data/createChart.json', 'api/lineage/addLineage.json', 'usage',
    'api/services/createDatabaseService.json', 'api/data/createTable.json', PIPELINE_SCHEMA, STATUS_SCHEMA,
  ]) assert.ok(kinds.has(kind), `no ${kind} body among ${[...kinds].join(', ')}`);
  const dashboards = bodies.filter((b) => b.schema === 'api/data/createDashboard.json').map((b) => b.body as { owners?: unknown[]; tags?: unknown[] });
  assert.ok(dashboards.some((d) => (d.owners ?? []).length > 0 && (d.tags ?? []).length > 0), 'dashboards with owners and tags');
  const states = bodies.filter((b) => b.schema === STATUS_SCHEMA).map((b) => (b.body as { pipelineState: string }).pipelineState);
  assert.equal(states[0], 'running');
  assert.equal(states.at(-1), 'success', `statuses ${states.join(', ')}`);
  const final = bodies.filter((b) => b.schema === STATUS_SCHEMA).at(-1)!.body as { endDate?: number; status: { progress?: unknown }[]; metadata: object };
  assert.ok(final.endDate && final.status.every((step) => step.progress) && Object.keys(final.metadata).length > 0, 'the end state with progress and metadata');
});

test('the own rules and OpenMetadata\'s schemas accept every body the ingestion sent', (t) => {
  for (const { schema, body } of bodies) {
    const { own, openMetadata } = verdicts(schema, body);
    assert.equal(own, null, `own rules refuse a ${schema} body: ${own}\n${JSON.stringify(body)}`);
    if (openMetadata !== 'not checked') assert.equal(openMetadata, null, `OpenMetadata refuses a ${schema} body: ${openMetadata}\n${JSON.stringify(body)}`);
  }
  if (!spec) t.diagnostic('OPENMETADATA_SPEC_DIR unset: bodies checked against the own rules only');
});

/** Bodies broken the ways OpenMetadata refuses, built from the first accepted body of each kind. */
function brokenBodies(): { why: string; schema: string; body: unknown }[] {
  const first = (schema: string) => structuredClone(bodies.find((b) => b.schema === schema)!.body) as Record<string, any>;
  const without = (body: Record<string, any>, key: string) => {
    delete body[key];
    return body;
  };
  const service = first('api/services/createDashboardService.json');
  const dashboard = first('api/data/createDashboard.json');
  const chart = first('api/data/createChart.json');
  const lineage = first('api/lineage/addLineage.json');
  const pipeline = first(PIPELINE_SCHEMA);
  const status = first(STATUS_SCHEMA);
  const tagged = structuredClone(bodies.find((b) => b.schema === 'api/data/createDashboard.json' && (b.body as any).tags?.length)!.body) as Record<string, any>;
  return [
    { why: 'unknown property', schema: 'api/data/createDashboard.json', body: { ...dashboard, colour: 'red' } },
    { why: 'unknown property in a connection', schema: 'api/services/createDashboardService.json', body: { ...service, connection: { config: { ...service.connection.config, workspace: 'x' } } } },
    { why: 'unknown property in an edge', schema: 'api/lineage/addLineage.json', body: { edge: { ...lineage.edge, weight: 1 } } },
    { why: 'unknown service type', schema: 'api/services/createDashboardService.json', body: { ...service, serviceType: 'HexTech' } },
    { why: 'unknown chart type', schema: 'api/data/createChart.json', body: { ...chart, chartType: 'Donut' } },
    { why: 'unknown dashboard type', schema: 'api/data/createDashboard.json', body: { ...dashboard, dashboardType: 'Notebook' } },
    { why: 'unknown tag label type', schema: 'api/data/createDashboard.json', body: { ...tagged, tags: [{ ...tagged.tags[0], labelType: 'Robot' }] } },
    { why: 'unknown lineage source', schema: 'api/lineage/addLineage.json', body: { edge: { ...lineage.edge, lineageDetails: { ...lineage.edge.lineageDetails, source: 'HexLineage' } } } },
    { why: 'unknown token type', schema: 'api/services/createDashboardService.json', body: { ...service, connection: { config: { ...service.connection.config, tokenType: 'service' } } } },
    { why: 'missing name', schema: 'api/data/createDashboard.json', body: without(dashboard, 'name') },
    { why: 'missing service', schema: 'api/data/createChart.json', body: without(chart, 'service') },
    { why: 'missing tag description', schema: 'api/classification/createTag.json', body: without(first('api/classification/createTag.json'), 'description') },
    { why: 'missing edge end', schema: 'api/lineage/addLineage.json', body: { edge: without(lineage.edge, 'toEntity') } },
    { why: 'missing Hex token', schema: 'api/services/createDashboardService.json', body: { ...service, connection: { config: without({ ...service.connection.config }, 'token') } } },
    { why: 'missing column type', schema: 'api/data/createTable.json', body: { ...first('api/data/createTable.json'), columns: [{ name: 'id' }] } },
    { why: 'usage with an extra field', schema: 'usage', body: { ...first('usage'), extra: 1 } },
    { why: 'usage without a date', schema: 'usage', body: without(first('usage'), 'date') },
    { why: 'unknown pipeline type', schema: PIPELINE_SCHEMA, body: { ...pipeline, pipelineType: 'hex' } },
    { why: 'unknown property in a pipeline', schema: PIPELINE_SCHEMA, body: { ...pipeline, schedule: 'daily' } },
    { why: 'missing pipeline source config', schema: PIPELINE_SCHEMA, body: without(first(PIPELINE_SCHEMA), 'sourceConfig') },
    { why: 'unknown pipeline state', schema: STATUS_SCHEMA, body: { ...status, pipelineState: 'paused' } },
    { why: 'unknown property in a run status', schema: STATUS_SCHEMA, body: { ...status, temporalRunId: 'x' } },
    { why: 'a step count as text', schema: STATUS_SCHEMA, body: { ...status, status: [{ ...status.status[0], records: 'many' }] } },
    { why: 'a start date as text', schema: STATUS_SCHEMA, body: { ...status, startDate: 'today' } },
  ];
}

test('both refuse an unknown property, a wrong enumerated value and a missing required field', () => {
  for (const { why, schema, body } of brokenBodies()) {
    const { own, openMetadata } = verdicts(schema, body);
    assert.notEqual(own, null, `own rules accept a body with ${why}`);
    if (openMetadata !== 'not checked') assert.notEqual(openMetadata, null, `OpenMetadata accepts a body with ${why}`);
  }
});
