import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOpenMetadataServer, type OpenMetadataServer } from '../../servers/openMetadataServer';

/*
 * The local OpenMetadata server as 1.12.6 and as 2.0.7: what 2.0 changes (new pipeline keys, overrideMetadata
 * on bulk writes, deleteStale, lineage by name, live progress, statuses as a list, new answer fields) is served
 * by the 2.0 double only. Run with OPENMETADATA_SPEC_DIR too: 2.0's added fields must pass the 1.12.6 schemas' check.
 */

const JWT = 'eyJhbGciOiJSUzI1NiJ9.versions-bot.signature';
const HEX = { config: { type: 'Hex', hostPort: 'https://app.hex.tech', tokenType: 'workspace', token: 'hxtw_versions_secret' } };

async function call(server: OpenMetadataServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/v1${path}`, {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${JWT}` }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const dashboard = (name: string, extra: Record<string, unknown> = {}) => ({ name, service: 'hex', displayName: `Title ${name}`, ...extra });

async function seed(server: OpenMetadataServer) {
  assert.equal((await call(server, 'PUT', '/services/dashboardServices', { name: 'hex', serviceType: 'Hex', connection: HEX })).status, 201);
  const bulk = await call(server, 'PUT', '/dashboards/bulk?async=false', [dashboard('a'), dashboard('b'), dashboard('c')]);
  assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
  const service = (await call(server, 'GET', '/services/dashboardServices/name/hex')).body;
  const pipeline = {
    name: 'hex_run', pipelineType: 'metadata', service: { id: service.id, type: 'dashboardService' }, airflowConfig: {},
    sourceConfig: { config: { type: 'DashboardMetadata', markDeletedCharts: true, includeUsage: false } },
  };
  return { service, pipeline: await call(server, 'PUT', '/services/ingestionPipelines', pipeline) };
}

const servers: Record<string, OpenMetadataServer> = {};
const seeded: Record<string, Awaited<ReturnType<typeof seed>>> = {};

before(async () => {
  for (const version of ['1.12', '2.0']) {
    servers[version] = await startOpenMetadataServer({ jwt: JWT, version });
    seeded[version] = await seed(servers[version]);
  }
});
after(async () => {
  for (const server of Object.values(servers)) await server.close();
});

describe('the version option', () => {
  it('reports 1.12.6 or 2.0.7, and refuses a release it does not speak', async () => {
    assert.equal((await call(servers['1.12'], 'GET', '/system/version')).body.version, '1.12.6');
    assert.equal((await call(servers['2.0'], 'GET', '/system/version')).body.version, '2.0.7');
    assert.equal(servers['2.0'].release, '2.0');
    await assert.rejects(startOpenMetadataServer({ jwt: JWT, version: '3.0.0' }), /speaks 1\.12 and 2\.0, not 3\.0\.0/);
  });

  it("takes 2.0's pipeline keys (markDeletedCharts, includeUsage) as 2.0 only, naming the key 1.12 refuses", () => {
    assert.equal(seeded['2.0'].pipeline.status, 201, JSON.stringify(seeded['2.0'].pipeline.body));
    assert.equal(seeded['1.12'].pipeline.status, 400);
    assert.match(seeded['1.12'].pipeline.body.message, /additional properties|markDeletedCharts/);
  });

  it("takes 2.0's optional request fields (service style, lineage tempLineageTables, step timings) as 2.0 only", async () => {
    for (const [version, expected] of [['1.12', 400], ['2.0', 200]] as const) {
      const answer = await call(servers[version], 'PUT', '/services/dashboardServices', { name: 'hex', serviceType: 'Hex', style: { color: '#000000' } });
      assert.equal(answer.status, expected, `${version}: ${JSON.stringify(answer.body)}`);
    }
  });
});

describe('2.0 answers carry fields 1.12 does not have', () => {
  it('dataContract on dashboards, style on services, hasSideEffects in bulk results', async () => {
    const [old, current] = [servers['1.12'], servers['2.0']];
    assert.equal('dataContract' in (await call(old, 'GET', '/dashboards/name/hex.a')).body, false);
    assert.equal((await call(current, 'GET', '/dashboards/name/hex.a')).body.dataContract.type, 'dataContract');
    assert.ok((await call(current, 'GET', '/dashboards?service=hex&limit=10')).body.data.every((d: { dataContract?: unknown }) => d.dataContract));
    assert.ok((await call(current, 'GET', '/services/dashboardServices/name/hex')).body.style);
    const bulk = await call(current, 'PUT', '/dashboards/bulk?async=false', [dashboard('a'), dashboard('b')]);
    assert.ok(bulk.body.successRequest.every((r: { hasSideEffects?: boolean }) => r.hasSideEffects === false));
    assert.equal(current.dashboards().some((d) => 'dataContract' in d), false, 'only answers carry them, not the stored entities');
  });
});

describe('overrideMetadata on bulk writes', () => {
  it('2.0 keeps what a user curated unless overrideMetadata=true; 1.12 ignores the flag', async () => {
    const server = servers['2.0'];
    server.curate('dashboard', 'hex.b', { description: 'Written by a person', displayName: 'Curated title' });
    await call(server, 'PUT', '/dashboards/bulk?async=false&overrideMetadata=false', [dashboard('b', { description: 'from Hex' }), dashboard('c')]);
    let stored = (await call(server, 'GET', '/dashboards/name/hex.b')).body;
    assert.equal(stored.description, 'Written by a person');
    assert.equal(stored.displayName, 'Curated title');
    await call(server, 'PUT', '/dashboards/bulk?async=false&overrideMetadata=true', [dashboard('b', { description: 'from Hex' }), dashboard('c')]);
    stored = (await call(server, 'GET', '/dashboards/name/hex.b')).body;
    assert.equal(stored.description, 'from Hex');
    assert.equal(stored.displayName, 'Title b');
    assert.equal((await call(server, 'PUT', '/dashboards/bulk?overrideMetadata=maybe', [dashboard('b')])).status, 400);
    assert.equal((await call(servers['1.12'], 'PUT', '/dashboards/bulk?overrideMetadata=maybe', [dashboard('b')])).status, 200);
  });
});

describe('deleteStale', () => {
  it('2.0 marks deleted what was not seen, in one request (dryRun only tells); 1.12 answers 404', async () => {
    const server = servers['2.0'];
    await call(server, 'PUT', '/dashboards/bulk?async=false', [dashboard('stale1'), dashboard('stale2')]);
    const body = { scopeFqn: 'hex', scopeEntityType: 'service', seenFqns: ['hex.a', 'hex.b', 'hex.c'], dryRun: true, hardDelete: false, recursive: true };
    const dry = await call(server, 'DELETE', '/dashboards/deleteStale', body);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.equal(dry.body.count, 2);
    assert.equal(server.dashboards().filter((d) => d.deleted).length, 0);
    const done = await call(server, 'DELETE', '/dashboards/deleteStale', { ...body, dryRun: false });
    assert.deepEqual(done.body.entities.map((e: { name: string }) => e.name).sort(), ['stale1', 'stale2']);
    assert.deepEqual(server.dashboards().filter((d) => d.deleted).map((d) => d.name).sort(), ['stale1', 'stale2']);
    assert.equal((await call(server, 'DELETE', '/dashboards/deleteStale', { scopeFqn: 'hex', seenFqns: [] })).status, 400, 'scopeEntityType is required');
    assert.equal((await call(servers['1.12'], 'DELETE', '/dashboards/deleteStale', body)).status, 404);
  });
});

describe('lineage by name, live progress and statuses as a list', () => {
  it('2.0 adds an edge by FQNs; 1.12 has no such write', async () => {
    for (const version of ['1.12', '2.0']) {
      const server = servers[version];
      server.addDatabaseService('pg', 'Postgres');
      server.addTable('pg.db.public.orders');
      const answer = await call(server, 'PUT', '/lineage/table/name/pg.db.public.orders/dashboard/name/hex.a', { sqlQuery: 'select 1', source: 'DashboardLineage', tempLineageTables: [] });
      assert.equal(answer.status, version === '2.0' ? 200 : 404, JSON.stringify(answer.body));
      assert.equal(server.lineageEdges().length, version === '2.0' ? 1 : 0);
    }
  });

  it('2.0 takes live progress and lists a pipeline statuses; 1.12 answers 404 and shows one status', async () => {
    for (const version of ['1.12', '2.0']) {
      const server = servers[version];
      if (version === '1.12') {
        const service = seeded[version].service;
        const created = await call(server, 'PUT', '/services/ingestionPipelines', {
          name: 'hex_run', pipelineType: 'metadata', service: { id: service.id, type: 'dashboardService' }, airflowConfig: {}, sourceConfig: { config: { type: 'DashboardMetadata' } },
        });
        assert.equal(created.status, 201);
      }
      for (const [runId, timestamp] of [['run-1', 1000], ['run-2', 2000]] as const) {
        const status = { runId, pipelineState: 'success', startDate: timestamp, timestamp, status: [{ name: 'Hex dashboards', records: 1, ...(version === '2.0' ? { sourceTimeMs: 5, sinkTimeMs: 6 } : {}) }] };
        assert.equal((await call(server, 'PUT', '/services/ingestionPipelines/hex.hex_run/pipelineStatus', status)).status, 200);
      }
      const statuses = (await call(server, 'GET', '/services/ingestionPipelines/name/hex.hex_run?fields=pipelineStatuses')).body.pipelineStatuses;
      if (version === '2.0') assert.deepEqual(statuses.map((s: { runId: string }) => s.runId), ['run-2', 'run-1']);
      else assert.equal(statuses.runId, 'run-2');
      const progress = { runId: 'run-2', timestamp: 2500, updateType: 'PROCESSING', progress: { dashboards: { processed: 3 } } };
      const answer = await call(server, 'PUT', '/services/ingestionPipelines/progress/hex.hex_run/run-2', progress);
      assert.equal(answer.status, version === '2.0' ? 200 : 404);
      assert.equal(server.progressUpdates().length, version === '2.0' ? 1 : 0);
    }
    const wrong = await call(servers['2.0'], 'PUT', '/services/ingestionPipelines/progress/hex.hex_run/run-2', { runId: 'run-2', timestamp: 1, updateType: 'SOMETHING' });
    assert.equal(wrong.status, 400);
  });
});
