import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RunCache, type Connected } from '../../activities/runtime/context';
import { writeDashboards, type DashboardWrite } from '../../activities/dashboards/dashboardWrites';
import { dashboardIdOf, ownerByEmail } from '../../activities/openmetadata/entityIds';
import { OpenMetadataClient } from '../../activities/openmetadata/client';
import { RequestGate } from '../../activities/openmetadata/gate';
import { parsePrefix } from '../../activities/openmetadata/tables';
import { resolveTable } from '../../activities/edges/tableResolver';
import { startOpenMetadataServer, type OpenMetadataServer } from '../../servers/openMetadataServer';

// The bulk dashboard write and the batched look-ups by FQN, against the local OpenMetadata server.

const JWT = 'eyJhbGciOiJSUzI1NiJ9.bulk-test.signature';
let server: OpenMetadataServer;
let conn: Connected;

before(async () => {
  server = await startOpenMetadataServer({
    jwt: JWT,
    users: Array.from({ length: 40 }, (_, i) => ({ name: `user${i}`, email: `user${i}@acme.example`, displayName: `User ${i}` })),
    teams: [{ name: 'finance', email: 'finance@acme.example' }],
  });
  const openMetadata = new OpenMetadataClient({ hostPort: server.url, jwtToken: JWT, gate: new RequestGate({ maxConcurrency: 8 }) });
  // Only the OpenMetadata client is used by the code under test.
  conn = { openMetadata } as unknown as Connected;
  await openMetadata.putDashboardService({ name: 'hexb', serviceType: 'Hex', connection: { config: { type: 'Hex', hostPort: 'https://app.hex.tech', tokenType: 'workspace', token: 'x' } } });
});

after(() => server?.close());

const dashboard = (name: string, extra: Record<string, unknown> = {}): DashboardWrite => ({
  request: { name, service: 'hexb', displayName: `Project ${name}`, ...extra } as DashboardWrite['request'],
  storedId: null,
  restoring: false,
});

const requestsSince = (from: number) => server.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/\?.*$/, '').replace(/^\/api/, '')}`);

describe('bulk dashboard writes', () => {
  it('writes a page in one request, reports a rejected dashboard as its own failure, and finds new ids in one search', async () => {
    const from = server.requests.length;
    const writes = [dashboard('p1'), dashboard('p2', { dashboardType: 'NotAType' }), dashboard('p3'), dashboard('p4')];
    const results = await writeDashboards(conn, new RunCache(), 'hexb', writes);
    assert.deepEqual(results.map((r) => r.ok), [true, false, true, true]);
    const failed = results[1];
    assert.ok(!failed.ok && failed.error.status === 400 && /p2/.test(failed.error.message), String(!failed.ok && failed.error.message));
    assert.deepEqual(requestsSince(from), ['PUT /v1/dashboards/bulk'], 'one request for the page');
    assert.deepEqual(server.dashboards().map((d: any) => d.name).sort(), ['p1', 'p3', 'p4']);

    const idsFrom = server.requests.length;
    const ids = await Promise.all(results.filter((r) => r.ok).map((r) => (r.ok ? r.id() : null)));
    const stored = new Map(server.dashboards().map((d: any) => [d.name, d.id]));
    assert.deepEqual(ids, ['p1', 'p3', 'p4'].map((n) => stored.get(n)));
    assert.deepEqual(requestsSince(idsFrom), ['GET /v1/search/query'], 'ids of three new dashboards from one search');
  });

  it('updates go through the same bulk request and keep the stored id without a look-up', async () => {
    const existing = server.dashboards().find((d: any) => d.name === 'p1')!;
    const from = server.requests.length;
    const results = await writeDashboards(conn, new RunCache(), 'hexb', [
      { ...dashboard('p1', { description: 'changed' }), storedId: existing.id }, dashboard('p5'),
    ]);
    assert.ok(results[0].ok && results[0].outcome === 'updated');
    assert.ok(results[1].ok && results[1].outcome === 'created');
    assert.equal(await (results[0].ok ? results[0].id() : null), existing.id);
    assert.deepEqual(requestsSince(from), ['PUT /v1/dashboards/bulk']);
    assert.equal(server.dashboards().find((d: any) => d.name === 'p1')!.description, 'changed');
  });

  it("the id getters a run keeps for created dashboards do not keep the page's requests in memory", async () => {
    // A run keeps these getters for every dashboard it created; a getter holding its page's requests and
    // answer would make the worker grow by every dashboard it writes.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    let writes: DashboardWrite[] | null = [dashboard('kept1'), dashboard('kept2'), dashboard('kept3')];
    const requests = writes.map((write) => new WeakRef(write.request));
    const results = await writeDashboards(conn, new RunCache(), 'hexb', writes);
    writes = null;
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    assert.deepEqual(requests.map((ref) => ref.deref() === undefined), [true, true, true], 'requests collected while the getters live');
    assert.ok(results.every((r) => r.ok));
    const ids = await Promise.all(results.map((r) => (r.ok ? r.id() : null)));
    const stored = new Map(server.dashboards().map((d: any) => [d.name, d.id]));
    assert.deepEqual(ids, ['kept1', 'kept2', 'kept3'].map((n) => stored.get(n)));
  });

  it('a request the bulk answer leaves out is written again on its own, and every request gets an outcome', async () => {
    server.omitFromBulkAnswers(1);
    const from = server.requests.length;
    const results = await writeDashboards(conn, new RunCache(), 'hexb', [dashboard('m1'), dashboard('m2'), dashboard('m3')]);
    assert.equal(results.length, 3);
    assert.deepEqual(results.map((r) => r.ok), [true, true, true]);
    assert.deepEqual(requestsSince(from), ['PUT /v1/dashboards/bulk', 'PUT /v1/dashboards'], 'the left-out request alone, once');
    assert.equal((server.requests.at(-1)!.body as { name: string }).name, 'm3');
    const stored = new Map(server.dashboards().map((d: any) => [d.name, d.id]));
    assert.equal(await (results[2].ok ? results[2].id() : null), stored.get('m3'));
  });

  it('a dashboard the search index does not show yet is read by name', async () => {
    const cache = new RunCache();
    const from = server.requests.length;
    assert.equal(await dashboardIdOf(conn, cache, 'hexb.nope'), null);
    assert.deepEqual(requestsSince(from), ['GET /v1/search/query', 'GET /v1/dashboards/name/hexb.nope']);
  });
});

describe('batched table look-ups', () => {
  it('resolves many fully qualified names with one search, without case, and reads by name only what search misses', async () => {
    server.addDatabaseService('wh', 'Snowflake');
    const ids = new Map<string, string>();
    for (let i = 0; i < 30; i++) ids.set(`wh.db.s.t${i}`, server.addTable(`wh.db.s.t${i}`).id);
    server.addTable('wh.db.s.Mixed');
    const cache = new RunCache();
    const prefix = parsePrefix('wh');
    const from = server.requests.length;
    const names = [...Array.from({ length: 30 }, (_, i) => `db.s.t${i}`), 'DB.S.MIXED', 'db.s.absent'];
    const found = await Promise.all(names.map((name) => resolveTable(conn, cache, prefix, name, 'snowflake')));
    assert.deepEqual(found.slice(0, 30).map((t) => t?.id), [...ids.values()]);
    assert.equal(found[30]?.fullyQualifiedName, 'wh.db.s.Mixed');
    assert.equal(found[31], null);
    assert.deepEqual(requestsSince(from), ['GET /v1/search/query', 'GET /v1/tables/name/wh.db.s.absent']);
  });
});

describe('batched owner look-ups', () => {
  it('finds the users of many e-mails with one search, teams with a second, and matches e-mails exactly', async () => {
    const cache = new RunCache();
    const from = server.requests.length;
    const emails = [...Array.from({ length: 40 }, (_, i) => `user${i}@acme.example`), 'finance@acme.example', 'User1@acme.example', 'nobody@acme.example'];
    const owners = await Promise.all(emails.map((email) => ownerByEmail(conn, cache, email)));
    assert.deepEqual(owners.slice(0, 40).map((o) => [o?.type, o?.name, o?.displayName]), Array.from({ length: 40 }, (_, i) => ['user', `user${i}`, `User ${i}`]));
    assert.deepEqual([owners[40]?.type, owners[40]?.name], ['team', 'finance']);
    assert.equal(owners[41], null, 'e-mails match with their case');
    assert.equal(owners[42], null);
    assert.deepEqual(requestsSince(from), ['GET /v1/search/query', 'GET /v1/search/query']);
    assert.deepEqual(server.requests.slice(from).map((r) => r.query.index), ['user_search_index', 'team_search_index']);
  });
});
