import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyJsonPatch, buildFqn, quoteName, splitFqn, startOpenMetadataServer, type OpenMetadataServer } from '../../servers/openMetadataServer';
import { configuredOpenMetadataSpec } from '../../servers/openMetadataSpec';
import { RequestValidator } from '../../servers/openmetadata/rules/requestValidator';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.test-bot-token.signature';
const HEX_CONNECTION = { config: { type: 'Hex', hostPort: 'https://app.hex.tech', tokenType: 'workspace', token: 'hxtw_secret' } };

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(server: OpenMetadataServer, method: string, path: string, body?: unknown, options: { token?: string | null; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json' };
  const token = options.token === undefined ? JWT : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // plain-text answers such as the health check
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const fqnPath = (fqn: string) => encodeURIComponent(fqn);

async function seedHexService(server: OpenMetadataServer, name = 'hex') {
  const answer = await call(server, 'PUT', '/services/dashboardServices', { name, serviceType: 'Hex', connection: HEX_CONNECTION });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

describe('FQN helpers', () => {
  it('quotes names with dots, drops needless quotes and splits outside quotes', () => {
    assert.equal(quoteName('a.b'), '"a.b"');
    assert.equal(quoteName('"abc"'), 'abc');
    assert.equal(quoteName('"a.b"'), '"a.b"');
    assert.equal(buildFqn('hex', 'a.b'), 'hex."a.b"');
    assert.deepEqual(splitFqn('svc."db.x".schema."t.1"'), ['svc', '"db.x"', 'schema', '"t.1"']);
  });

  it('applies RFC 6902 operations without touching the input', () => {
    const input = { a: [1, 2], b: { c: 'x' } };
    const output = applyJsonPatch(input, [
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b/c', value: 'y' },
      { op: 'move', from: '/b/c', path: '/d' },
      { op: 'remove', path: '/a/0' },
    ]);
    assert.deepEqual(output, { a: [2, 3], b: {}, d: 'y' });
    assert.deepEqual(input, { a: [1, 2], b: { c: 'x' } });
    assert.throws(() => applyJsonPatch(input, [{ op: 'replace', path: '/missing', value: 1 }]));
  });
});

describe('OpenMetadata double', () => {
  let server: OpenMetadataServer;

  beforeEach(async () => {
    server = await startOpenMetadataServer({
      jwt: JWT,
      users: [{ name: 'maria.lopez', email: 'maria.lopez@acme.example', displayName: 'María López' }],
      teams: [{ name: 'Finance', email: 'finance@acme.example' }],
    });
  });
  afterEach(() => server.close());

  it('stores usage per day by id or name, sums it into usageSummary, and checks the request', async () => {
    await seedHexService(server);
    const dashboard = (await call(server, 'PUT', '/dashboards', { name: 'd1', service: 'hex' })).body;
    assert.equal((await call(server, 'PUT', `/usage/dashboard/${dashboard.id}`, { date: '2026-11-20', count: 4 })).status, 201);
    assert.equal((await call(server, 'PUT', `/usage/dashboard/name/${fqnPath('hex.d1')}`, { date: '2026-11-27', count: 10 })).status, 200);
    assert.equal((await call(server, 'PUT', `/usage/dashboard/${dashboard.id}`, { date: '2026-11-27', count: 9 })).status, 200);
    const read = await call(server, 'GET', `/dashboards/${dashboard.id}?fields=usageSummary`);
    assert.deepEqual(read.body.usageSummary, {
      dailyStats: { count: 9, percentileRank: 0 }, weeklyStats: { count: 9, percentileRank: 0 }, monthlyStats: { count: 13, percentileRank: 0 }, date: '2026-11-27',
    });
    assert.equal((await call(server, 'GET', `/dashboards/${dashboard.id}`)).body.usageSummary, undefined);
    // A PUT of the dashboard keeps its usage.
    await call(server, 'PUT', '/dashboards', { name: 'd1', service: 'hex', displayName: 'D1' });
    assert.equal((await call(server, 'GET', `/dashboards/${dashboard.id}?fields=usageSummary`)).body.usageSummary.dailyStats.count, 9);
    for (const bad of [{ date: '2026-11-27' }, { count: 1 }, { date: 'yesterday', count: 1 }, { date: '2026-11-27', count: -1 }, { date: '2026-11-27', count: 1, extra: 1 }]) {
      assert.equal((await call(server, 'PUT', `/usage/dashboard/${dashboard.id}`, bad)).status, 400, JSON.stringify(bad));
    }
    assert.equal((await call(server, 'PUT', '/usage/dashboard/00000000-0000-4000-8000-000000000000', { date: '2026-11-27', count: 1 })).status, 404);
    assert.equal((await call(server, 'PUT', `/usage/dashboard/${dashboard.id}`, { date: '2026-11-27', count: 1 }, { token: 'wrong' })).status, 401);
  });

  it('serves version and health without a token, and rejects missing or wrong tokens', async () => {
    const version = await call(server, 'GET', '/system/version', undefined, { token: null });
    assert.equal(version.status, 200);
    assert.equal(version.body.version, '1.12.6');
    assert.equal((await call(server, 'GET', '/system/health', undefined, { token: null })).body, 'OK');
    const missing = await call(server, 'GET', '/dashboards', undefined, { token: null });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { code: 401, message: 'Not Authorized! Token not present' });
    assert.equal(missing.headers.get('www-authenticate'), 'om-auth');
    const wrong = await call(server, 'GET', '/dashboards', undefined, { token: 'nope' });
    assert.deepEqual(wrong.body, { code: 401, message: 'Not Authorized! Invalid token.' });
    assert.ok(!JSON.stringify(server.requests).includes(JWT));
  });

  it('validates bodies against the create schemas and stores nothing on a violation', async () => {
    await seedHexService(server);
    const unknownProperty = await call(server, 'PUT', '/dashboards', { name: 'p1', service: 'hex', colour: 'red' });
    assert.equal(unknownProperty.status, 400);
    assert.match(unknownProperty.body.message, /^\[.*additional properties 'colour'.*\]$/);
    const missingName = await call(server, 'PUT', '/dashboards', { service: 'hex' });
    assert.equal(missingName.status, 400);
    assert.match(missingName.body.message, /required property 'name'/);
    const badConnection = await call(server, 'PUT', '/services/dashboardServices', { name: 'hex2', serviceType: 'Hex', connection: { config: { type: 'Hex' } } });
    assert.equal(badConnection.status, 400);
    assert.deepEqual(server.dashboards(), []);
    assert.equal(server.dashboardService('hex2'), undefined);
    assert.equal(server.writeCount(), 1);
  });

  it('creates with 201, updates with 200 and applies the PUT merge rules', async () => {
    await seedHexService(server);
    await call(server, 'PUT', '/classifications', { name: 'HexCategories', description: 'Tags associated with Hex projects' });
    for (const name of ['Finance', 'Exec']) assert.equal((await call(server, 'PUT', '/tags', { name, description: 'Hex Tag', classification: 'HexCategories' })).status, 201);
    const user = (await call(server, 'GET', `/users/name/${fqnPath('"maria.lopez"')}`)).body;
    const label = (tag: string) => ({ tagFQN: `HexCategories.${tag}`, source: 'Classification', labelType: 'Automated', state: 'Suggested' });
    const request = { name: 'p1', displayName: 'Revenue', description: 'first', service: 'hex', sourceUrl: 'https://app.hex.tech/w/hex/p1', owners: [{ id: user.id, type: 'user' }], tags: [label('Finance')] };

    const created = await call(server, 'PUT', '/dashboards', request);
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-openmetadata-change'), 'entityCreated');
    assert.equal(created.body.fullyQualifiedName, 'hex.p1');

    const same = await call(server, 'PUT', '/dashboards', request);
    assert.equal(same.status, 200);
    assert.equal(same.headers.get('x-openmetadata-change'), 'entityNoChange');

    const updated = await call(server, 'PUT', '/dashboards', { ...request, displayName: 'Revenue v2', description: 'second', owners: [], tags: [label('Exec')] });
    assert.equal(updated.status, 200);
    assert.equal(updated.headers.get('x-openmetadata-change'), 'entityUpdated');
    const [stored] = server.dashboards();
    assert.equal(stored.displayName, 'Revenue v2');
    assert.equal(stored.description, 'first');
    assert.deepEqual(stored.owners.map((o: { name: string }) => o.name), ['maria.lopez']);
    assert.deepEqual(stored.tags.map((t: { tagFQN: string }) => t.tagFQN), ['HexCategories.Finance', 'HexCategories.Exec']);
    assert.equal(stored.version, 0.2);

    const missingTag = await call(server, 'PUT', '/dashboards', { ...request, name: 'p2', tags: [label('Nope')] });
    assert.equal(missingTag.status, 404);
    assert.equal(missingTag.body.message, 'tag instance for HexCategories.Nope not found');
    assert.equal((await call(server, 'PUT', '/tags', { name: 'x', description: 'd', classification: 'Missing' })).status, 404);
  });

  it('quotes names with dots in FQNs and finds them by URL-encoded FQN', async () => {
    await seedHexService(server, 'hex.prod');
    const created = await call(server, 'PUT', '/dashboards', { name: 'a.b', service: '"hex.prod"' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.fullyQualifiedName, '"hex.prod"."a.b"');
    const found = await call(server, 'GET', `/dashboards/name/${fqnPath('"hex.prod"."a.b"')}?fields=owners,tags`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.owners, []);
    assert.equal(found.body.charts, undefined);
    assert.equal((await call(server, 'GET', `/dashboards/name/${fqnPath('hex.prod.a.b')}`)).status, 404);
    assert.equal((await call(server, 'GET', `/dashboards/name/${fqnPath('"hex.prod"."a.b"')}?fields=colour`)).body.message, 'Invalid field name colour');
  });

  it('soft deletes, hides, restores on PUT, pages the service listing and patches', async () => {
    await seedHexService(server);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await call(server, 'PUT', '/dashboards', { name: `d${i}`, service: 'hex', sourceHash: `h${i}` })).body.id);
    const removed = await call(server, 'DELETE', `/dashboards/${ids[0]}?recursive=true&hardDelete=false`);
    assert.equal(removed.headers.get('x-openmetadata-change'), 'entitySoftDeleted');
    assert.equal((await call(server, 'GET', '/dashboards/name/hex.d0')).status, 404);
    assert.equal((await call(server, 'GET', '/dashboards/name/hex.d0?include=deleted')).body.deleted, true);

    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(server, 'GET', `/dashboards?service=hex&limit=2&fields=sourceHash&include=all${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.body.paging.total, 5);
      names.push(...page.body.data.map((d: { name: string }) => d.name));
      cursor = page.body.paging.after;
    } while (cursor);
    assert.deepEqual(names, ['d0', 'd1', 'd2', 'd3', 'd4']);
    assert.equal((await call(server, 'GET', '/dashboards?service=hex')).body.paging.total, 4);

    const restoredByPut = await call(server, 'PUT', '/dashboards', { name: 'd0', service: 'hex' });
    assert.equal(restoredByPut.status, 200);
    assert.equal(restoredByPut.body.deleted, false);

    await call(server, 'DELETE', `/dashboards/${ids[1]}`);
    const restored = await call(server, 'PUT', '/dashboards/restore', { id: ids[1] });
    assert.equal(restored.headers.get('x-openmetadata-change'), 'entityRestored');

    const wrongType = await call(server, 'PATCH', `/dashboards/${ids[2]}`, [{ op: 'add', path: '/description', value: 'x' }]);
    assert.equal(wrongType.status, 415);
    const patched = await call(server, 'PATCH', `/dashboards/${ids[2]}`, [{ op: 'add', path: '/description', value: 'patched' }], { contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.description, 'patched');

    assert.equal((await call(server, 'DELETE', `/dashboards/${ids[3]}?hardDelete=true`)).headers.get('x-openmetadata-change'), 'entityDeleted');
    assert.equal(server.dashboards().length, 4);
  });

  it('reports per-item results from bulk PUT and checks chart references', async () => {
    await seedHexService(server);
    const charts = await call(server, 'PUT', '/charts/bulk?async=false', [{ name: 'c1', service: 'hex', chartType: 'Bar' }, { name: 'c2', service: 'hex', chartType: 'Nope' }]);
    assert.equal(charts.body.status, 'partialSuccess');
    assert.equal(charts.body.numberOfRowsFailed, 1);
    const dashboards = await call(server, 'PUT', '/dashboards/bulk', [{ name: 'd1', service: 'hex', charts: ['hex.c1'] }, { name: 'd2', service: 'hex', charts: ['hex.c2'] }]);
    assert.equal(dashboards.status, 200);
    assert.equal(dashboards.body.numberOfRowsPassed, 1);
    assert.match(dashboards.body.failedRequest[0].message, /chart instance for hex.c2 not found/);
    assert.deepEqual(server.dashboards()[0].charts.map((c: { fullyQualifiedName: string }) => c.fullyQualifiedName), ['hex.c1']);
  });

  it('finds users and teams by exact, case-sensitive e-mail', async () => {
    const hit = await call(server, 'GET', '/search/query?q=email.keyword:maria.lopez@acme.example&from=0&size=1&index=user_search_index');
    assert.equal(hit.body.hits.hits[0]._source.fullyQualifiedName, '"maria.lopez"');
    const wrongCase = await call(server, 'GET', '/search/query?q=email.keyword:Maria.Lopez@acme.example&index=user_search_index');
    assert.equal(wrongCase.body.hits.hits.length, 0);
    const team = await call(server, 'GET', '/search/query?q=email.keyword:finance@acme.example&index=team_search_index');
    assert.equal(team.body.hits.hits[0]._source.name, 'Finance');
    assert.equal((await call(server, 'GET', '/teams/name/Finance')).status, 200);
  });

  it('filters search hits with query_filter (bool, term, terms), narrows _source, and refuses what it does not know', async () => {
    server.addDatabaseService('wh', 'Snowflake');
    for (const name of ['A', 'b', 'c']) server.addTable(`wh.db.s.${name}`);
    const search = (filter: unknown, extra = '') => call(server, 'GET',
      `/search/query?q=*&index=table_search_index&size=10&query_filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`);
    const terms = await search({ query: { bool: { filter: [{ terms: { fullyQualifiedName: ['wh.db.s.a', 'WH.DB.S.B', 'wh.db.s.zz'] } }, { term: { deleted: false } }] } } },
      '&include_source_fields=id&include_source_fields=fullyQualifiedName');
    assert.deepEqual(terms.body.hits.hits.map((h: any) => h._source.fullyQualifiedName).sort(), ['wh.db.s.A', 'wh.db.s.b']);
    assert.deepEqual(Object.keys(terms.body.hits.hits[0]._source).sort(), ['fullyQualifiedName', 'id']);
    const without = await search({ bool: { should: [{ term: { fullyQualifiedName: { value: 'wh.db.s.c' } } }], must_not: [{ match_all: {} }] } });
    assert.equal(without.body.hits.hits.length, 0);
    assert.equal((await search({ query: { fuzzy: { name: 'a' } } })).status, 400);
    assert.equal((await call(server, 'GET', '/search/query?q=*&query_filter=%7Bnot-json')).status, 400);
    assert.equal((await search({ query: { match_all: {} } }, '&from=9995&size=10')).status, 400);
  });

  it('finds tables by case-insensitive FQN wildcard and serves the database service unmasked', async () => {
    server.addDatabaseService('snow', 'Snowflake', { type: 'Snowflake', username: 'svc', password: 'pw', account: 'acme' });
    server.addTable('snow.ANALYTICS.FINANCE.FCT_INVOICES', { columns: ['ID', 'AMOUNT'] });
    server.addTable('snow.ANALYTICS.CRM.DIM_ACCOUNTS');
    const found = await call(server, 'GET', `/search/fieldQuery?fieldName=fullyQualifiedName&fieldValue=${encodeURIComponent('snow.*.*.fct_invoices')}&index=table_search_index&deleted=false`);
    assert.deepEqual(found.body.hits.hits.map((h: { _source: { fullyQualifiedName: string } }) => h._source.fullyQualifiedName), ['snow.ANALYTICS.FINANCE.FCT_INVOICES']);
    const table = await call(server, 'GET', '/tables/name/snow.ANALYTICS.FINANCE.FCT_INVOICES?fields=columns');
    assert.deepEqual(table.body.columns.map((c: { fullyQualifiedName: string }) => c.fullyQualifiedName), ['snow.ANALYTICS.FINANCE.FCT_INVOICES.ID', 'snow.ANALYTICS.FINANCE.FCT_INVOICES.AMOUNT']);
    const service = await call(server, 'GET', '/services/databaseServices/name/snow');
    assert.equal(service.body.connection.config.password, 'pw');
  });

  it('adds lineage, replaces details on a repeat, 404s a missing end and reads the graph', async () => {
    await seedHexService(server);
    server.addDatabaseService('snow', 'Snowflake');
    const table = server.addTable('snow.db.sch.orders');
    const dashboard = (await call(server, 'PUT', '/dashboards', { name: 'p1', service: 'hex' })).body;
    const edge = (details?: unknown, toId = dashboard.id) => ({ edge: { fromEntity: { id: table.id, type: 'table' }, toEntity: { id: toId, type: 'dashboard' }, ...(details ? { lineageDetails: details } : {}) } });

    const first = await call(server, 'PUT', '/lineage', edge());
    assert.equal(first.status, 200);
    assert.equal(first.body, undefined);
    await call(server, 'PUT', '/lineage', edge({ source: 'DashboardLineage', sqlQuery: 'select 1' }));
    const edges = server.lineageEdges();
    assert.equal(edges.length, 1);
    assert.equal((edges[0].lineageDetails as { sqlQuery: string }).sqlQuery, 'select 1');

    const missing = await call(server, 'PUT', '/lineage', edge(undefined, '00000000-0000-4000-8000-000000000000'));
    assert.equal(missing.status, 404);
    assert.equal((await call(server, 'PUT', '/lineage', { edge: { fromEntity: { id: table.id } } })).status, 400);

    const graph = await call(server, 'GET', `/lineage/dashboard/name/hex.p1?upstreamDepth=1&downstreamDepth=1`);
    assert.deepEqual(graph.body.upstreamEdges.map((e: { fromEntity: string }) => e.fromEntity), [table.id]);
    assert.equal(graph.body.nodes[0].fullyQualifiedName, 'snow.db.sch.orders');
    assert.equal((await call(server, 'GET', `/lineage/getLineageEdge/${table.id}/${dashboard.id}`)).body.edge.sqlQuery, 'select 1');

    await call(server, 'DELETE', `/dashboards/${dashboard.id}`);
    assert.equal((await call(server, 'PUT', '/lineage', edge())).status, 404);
    assert.equal((await call(server, 'DELETE', `/lineage/table/${table.id}/dashboard/${dashboard.id}`)).status, 200);
    assert.equal(server.lineageEdges().length, 0);
  });

  it('reads a dashboard\'s lineage by name to the asked depths, 404s a missing or soft-deleted root, lists deleted neighbours', async () => {
    await seedHexService(server);
    server.addDatabaseService('snow', 'Snowflake');
    const orders = server.addTable('snow.db.sch.orders');
    const raw = server.addTable('snow.db.sch.raw_orders');
    const gone = server.addTable('snow.db.sch.gone');
    const dashboard = (await call(server, 'PUT', '/dashboards', { name: 'p.1', service: 'hex' })).body;
    const link = (from: { id: string }, fromType: string, to: { id: string }, toType: string) =>
      call(server, 'PUT', '/lineage', { edge: { fromEntity: { id: from.id, type: fromType }, toEntity: { id: to.id, type: toType } } });
    for (const answer of [await link(orders, 'table', dashboard, 'dashboard'), await link(raw, 'table', orders, 'table'), await link(gone, 'table', dashboard, 'dashboard')]) {
      assert.equal(answer.status, 200);
    }
    assert.equal((await call(server, 'DELETE', `/tables/${gone.id}?hardDelete=false`)).status, 200);
    const path = `/lineage/dashboard/name/${fqnPath('hex."p.1"')}`;

    const depthOne = await call(server, 'GET', `${path}?upstreamDepth=1&downstreamDepth=0`);
    assert.equal(depthOne.status, 200);
    // The own rules always, OpenMetadata's schema too when OPENMETADATA_SPEC_DIR names it.
    const lineageShape = new RequestValidator({ spec: configuredOpenMetadataSpec() });
    assert.equal(lineageShape.check('type/entityLineage.json', depthOne.body), null, 'an EntityLineage');
    assert.notEqual(lineageShape.check('type/entityLineage.json', { ...depthOne.body, upstream: [] }), null, 'an unknown property is refused');
    assert.equal(depthOne.body.entity.id, dashboard.id);
    assert.equal(depthOne.body.entity.deleted, false);
    assert.deepEqual(depthOne.body.upstreamEdges.map((e: { fromEntity: string; toEntity: string }) => [e.fromEntity, e.toEntity]).sort(),
      [[orders.id, dashboard.id], [gone.id, dashboard.id]].sort());
    assert.deepEqual(depthOne.body.downstreamEdges, []);
    // The server reads neighbours with Include.ALL: a soft-deleted table is still listed, marked deleted.
    const deletedById = new Map(depthOne.body.nodes.map((n: { id: string; deleted: boolean }) => [n.id, n.deleted]));
    assert.deepEqual([deletedById.get(orders.id), deletedById.get(gone.id), deletedById.has(raw.id)], [false, true, false]);

    const depthTwo = await call(server, 'GET', `${path}?upstreamDepth=2&downstreamDepth=0`);
    assert.ok(depthTwo.body.upstreamEdges.some((e: { fromEntity: string; toEntity: string }) => e.fromEntity === raw.id && e.toEntity === orders.id));
    const byDefault = await call(server, 'GET', path);
    assert.equal(byDefault.body.upstreamEdges.length, 2, 'depths default to 1');

    const tooDeep = await call(server, 'GET', `${path}?upstreamDepth=4&downstreamDepth=-1`);
    assert.deepEqual(tooDeep.body, {
      code: 400, message: '[query param upstreamDepth must be less than or equal to 3, query param downstreamDepth must be greater than or equal to 0]',
    });
    assert.equal((await call(server, 'GET', `${path}?upstreamDepth=one`)).status, 404, 'an int param that does not parse');

    const unknown = await call(server, 'GET', `/lineage/dashboard/name/${fqnPath('hex.nope')}?upstreamDepth=1&downstreamDepth=0`);
    assert.deepEqual(unknown.body, { code: 404, message: 'dashboard instance for hex.nope not found' });
    assert.equal((await call(server, 'DELETE', `/dashboards/${dashboard.id}`)).status, 200);
    const softDeleted = await call(server, 'GET', `${path}?upstreamDepth=1&downstreamDepth=0`);
    assert.deepEqual(softDeleted.body, { code: 404, message: 'dashboard instance for hex."p.1" not found' });
    // Restoring brings the edges back: soft deletion keeps them.
    assert.equal((await call(server, 'PUT', '/dashboards/restore', { id: dashboard.id })).status, 200);
    assert.equal((await call(server, 'GET', `${path}?upstreamDepth=1&downstreamDepth=0`)).body.upstreamEdges.length, 2);
  });

  it('drops column lineage that names unknown columns and answers 409 on a repeated POST', async () => {
    server.addDatabaseService('snow', 'Snowflake');
    const source = server.addTable('snow.db.sch.orders', { columns: ['id', 'amount'] });
    const target = server.addTable('snow.db.sch.revenue', { columns: ['total'] });
    const details = {
      source: 'QueryLineage',
      columnsLineage: [
        { fromColumns: ['snow.db.sch.orders.amount', 'snow.db.sch.orders.ghost'], toColumn: 'snow.db.sch.revenue.total' },
        { fromColumns: ['snow.db.sch.orders.id'], toColumn: 'snow.db.sch.revenue.ghost' },
      ],
    };
    const put = await call(server, 'PUT', '/lineage', { edge: { fromEntity: { id: source.id, type: 'table' }, toEntity: { id: target.id, type: 'table' }, lineageDetails: details } });
    assert.equal(put.status, 200);
    const stored = server.lineageEdges()[0].lineageDetails as { columnsLineage: unknown[] };
    assert.deepEqual(stored.columnsLineage, [{ fromColumns: ['snow.db.sch.orders.amount'], toColumn: 'snow.db.sch.revenue.total' }]);

    assert.equal((await call(server, 'POST', '/classifications', { name: 'HexCategories', description: 'd' })).status, 201);
    const again = await call(server, 'POST', '/classifications', { name: 'HexCategories', description: 'd' });
    assert.deepEqual([again.status, again.body.message], [409, 'Entity already exists']);
  });

  it('injects faults before auth and routing, and keeps them out of the write count', async () => {
    server.injectFault({ path: '/dashboardServices', status: 504, body: { code: 504, message: 'Gateway Timeout' }, times: 1 });
    const faulted = await call(server, 'PUT', '/services/dashboardServices', { name: 'hex', serviceType: 'Hex' });
    assert.equal(faulted.status, 504);
    server.injectFault({ path: /\/dashboardServices$/, resetConnection: true, times: 1 });
    await assert.rejects(call(server, 'PUT', '/services/dashboardServices', { name: 'hex', serviceType: 'Hex' }));
    assert.equal(server.writeCount(), 0);
    assert.equal((await call(server, 'PUT', '/services/dashboardServices', { name: 'hex', serviceType: 'Hex' })).status, 201);
    assert.equal(server.writeCount(), 1);
  });
});

describe('accepted request bodies', () => {
  it('are kept in memory on request and written one JSON line each to HEXMETA_OM_BODY_LOG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexmeta-om-bodies-'));
    const logFile = join(dir, 'bodies.jsonl');
    process.env.HEXMETA_OM_BODY_LOG = logFile;
    let server: OpenMetadataServer;
    try {
      server = await startOpenMetadataServer({ jwt: JWT, keepValidatedBodies: true });
    } finally {
      delete process.env.HEXMETA_OM_BODY_LOG;
    }
    try {
      await seedHexService(server);
      assert.equal((await call(server, 'PUT', '/dashboards', { name: 'd1', service: 'hex', colour: 'red' })).status, 400);
      assert.equal((await call(server, 'PUT', '/dashboards', { name: 'd1', service: 'hex' })).status, 201);
      const expected = [
        { schema: 'api/services/createDashboardService.json', body: { name: 'hex', serviceType: 'Hex', connection: HEX_CONNECTION } },
        { schema: 'api/data/createDashboard.json', body: { name: 'd1', service: 'hex' } },
      ];
      assert.deepEqual(server.validatedBodies(), expected, 'refused bodies are not kept');
      assert.deepEqual(readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line)), expected);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
