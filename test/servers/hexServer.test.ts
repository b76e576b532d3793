import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeProject, makeSqlCell, makeWorkspace, startHexServer, type HexProject, type HexServer } from '../../servers/hexServer';

const WORKSPACE_TOKEN = 'hxtw_' + 'a'.repeat(96);
const PERSONAL_TOKEN = 'hxtp_' + 'b'.repeat(96);

async function get(server: HexServer, path: string, token: string | null = WORKSPACE_TOKEN) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}/api/v1${path}`, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function walk(server: HexServer, query: string, token = WORKSPACE_TOKEN): Promise<HexProject[]> {
  const seen: HexProject[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const suffix: string = cursor ? `&after=${encodeURIComponent(cursor)}` : '';
    const page = await get(server, `/projects?${query}${suffix}`, token);
    assert.equal(page.status, 200);
    seen.push(...page.body.values);
    cursor = page.body.pagination.after;
    if (!cursor) return seen;
  }
  throw new Error('paging did not end');
}

describe('Hex API double', () => {
  const workspace = makeWorkspace(137, 7);
  const ownerEmail = workspace[0].owner.email;
  let server: HexServer;

  before(async () => {
    server = await startHexServer({
      projects: workspace,
      tokens: { [WORKSPACE_TOKEN]: { kind: 'workspace' }, [PERSONAL_TOKEN]: { kind: 'personal', email: ownerEmail } },
      cells: { [workspace[0].id]: Array.from({ length: 5 }, (_, i) => makeSqlCell(workspace[0].id, `select ${i}`)) },
    });
  });
  after(() => server.close());

  it('generates the same workspace for the same seed, with the promised variety', () => {
    assert.deepEqual(makeWorkspace(137, 7), workspace);
    assert.notDeepEqual(makeWorkspace(137, 8), workspace);
    assert.ok(workspace.some((p) => p.description === null));
    assert.ok(workspace.some((p) => p.type === 'COMPONENT'));
    assert.ok(workspace.some((p) => p.archivedAt !== null));
    assert.ok(workspace.some((p) => p.trashedAt !== null));
    assert.ok(workspace.some((p) => /[^\x00-\x7f]/.test(p.title)));
    assert.ok(workspace.some((p) => p.title.includes('"')));
    assert.ok(new Set(workspace.map((p) => p.owner.email)).size > 10);
  });

  it('walks every project exactly once, newest created first, ties broken consistently', async () => {
    const all = await walk(server, 'limit=7&includeArchived=true&includeTrashed=true&includeComponents=true');
    assert.equal(all.length, workspace.length);
    assert.equal(new Set(all.map((p) => p.id)).size, workspace.length);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createdAt >= all[i].createdAt);
    assert.ok(all.every((p) => !('sharing' in p)));
  });

  it('hides components, archived and trashed projects by default', async () => {
    const visible = await walk(server, 'limit=100');
    const expected = workspace.filter((p) => p.type === 'PROJECT' && p.archivedAt === null && p.trashedAt === null);
    assert.deepEqual(new Set(visible.map((p) => p.id)), new Set(expected.map((p) => p.id)));
  });

  it('pages backwards with before and sorts by another column ascending', async () => {
    const first = await get(server, '/projects?limit=10&sortBy=LAST_EDITED_AT&sortDirection=ASC');
    const second = await get(server, `/projects?limit=10&sortBy=LAST_EDITED_AT&sortDirection=ASC&after=${first.body.pagination.after}`);
    const back = await get(server, `/projects?limit=10&sortBy=LAST_EDITED_AT&sortDirection=ASC&before=${second.body.pagination.before}`);
    assert.deepEqual(back.body.values, first.body.values);
    const edits = [...first.body.values, ...second.body.values].map((p: HexProject) => p.lastEditedAt);
    assert.deepEqual(edits, [...edits].sort());
  });

  it('filters by statuses and categories given as repeated or comma-separated keys', async () => {
    const repeated = await walk(server, 'limit=100&statuses=Approved&statuses=Deprecated');
    const commas = await walk(server, 'limit=100&statuses=Approved,Deprecated');
    assert.ok(repeated.length > 0);
    assert.deepEqual(commas, repeated);
    assert.ok(repeated.every((p) => p.status && ['Approved', 'Deprecated'].includes(p.status.name)));
    const finance = await walk(server, 'limit=100&categories=Finance');
    assert.ok(finance.length > 0 && finance.every((p) => p.categories.some((c) => c.name === 'Finance')));
  });

  it('filters by owner and creator email, and adds sharing only on request', async () => {
    const owned = await walk(server, `limit=100&ownerEmail=${encodeURIComponent(ownerEmail)}&includeSharing=true`);
    assert.ok(owned.length > 0 && owned.every((p) => p.owner.email === ownerEmail && p.sharing !== undefined));
    const created = await walk(server, `limit=100&creatorEmail=${encodeURIComponent(ownerEmail)}`);
    assert.ok(created.every((p) => p.creator.email === ownerEmail));
  });

  it('shows a personal token only the projects its user owns or created', async () => {
    const mine = await walk(server, 'limit=100&includeComponents=true&includeArchived=true&includeTrashed=true', PERSONAL_TOKEN);
    const expected = workspace.filter((p) => p.owner.email === ownerEmail || p.creator.email === ownerEmail);
    assert.deepEqual(new Set(mine.map((p) => p.id)), new Set(expected.map((p) => p.id)));
    const other = workspace.find((p) => p.owner.email !== ownerEmail && p.creator.email !== ownerEmail)!;
    assert.equal((await get(server, `/projects/${other.id}`, PERSONAL_TOKEN)).status, 404);
  });

  it('rejects limit outside 1..100 and unreadable cursors with the older error shape', async () => {
    for (const query of ['limit=0', 'limit=101', 'after=not-a-cursor']) {
      const response = await get(server, `/projects?${query}`);
      assert.equal(response.status, 400);
      assert.deepEqual(Object.keys(response.body).sort(), ['details', 'reason', 'traceId']);
    }
  });

  it('serves one project and 404s an unknown id with the newer error shape', async () => {
    const found = await get(server, `/projects/${workspace[0].id}`);
    assert.equal(found.status, 200);
    const { sharing: _ignored, ...withoutSharing } = workspace[0];
    assert.deepEqual(found.body, withoutSharing);
    const missing = await get(server, '/projects/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { code: 'NOT_FOUND', message: 'Not found', issues: [] });
  });

  it('pages cells of a project', async () => {
    const page1 = await get(server, `/cells?projectId=${workspace[0].id}&limit=3`);
    const page2 = await get(server, `/cells?projectId=${workspace[0].id}&limit=3&after=${page1.body.pagination.after}`);
    assert.deepEqual([...page1.body.values, ...page2.body.values].map((c: { contents: { sqlCell: { source: string } } }) => c.contents.sqlCell.source), [0, 1, 2, 3, 4].map((i) => `select ${i}`));
    assert.equal(page2.body.pagination.after, null);
    assert.equal((await get(server, '/cells')).status, 400);
  });

  it('answers /users/me by token kind', async () => {
    const workspaceMe = await get(server, '/users/me');
    assert.deepEqual(Object.keys(workspaceMe.body).sort(), ['org', 'token']);
    const personalMe = await get(server, '/users/me', PERSONAL_TOKEN);
    assert.equal(personalMe.body.email, ownerEmail);
    assert.equal(personalMe.body.org.id, workspaceMe.body.org.id);
  });

  it('answers 401 in the shape of each endpoint family and never records the token', async () => {
    const older = await get(server, '/projects', null);
    assert.equal(older.status, 401);
    assert.ok('reason' in older.body && 'traceId' in older.body);
    const newer = await get(server, '/users/me', 'hxtp_unknown');
    assert.equal(newer.status, 401);
    assert.equal(newer.body.code, 'UNAUTHORIZED');
    assert.ok(!JSON.stringify(server.requests).includes(WORKSPACE_TOKEN));
    assert.equal(server.requests.at(-1)!.status, 401);
  });

  it('injects status faults, delays and connection resets for matching paths only', async () => {
    server.injectFault({ path: '/projects', status: 503, body: { reason: 'down' }, times: 2 });
    assert.equal((await get(server, '/users/me')).status, 200);
    assert.equal((await get(server, '/projects')).status, 503);
    assert.equal((await get(server, '/projects')).status, 503);
    assert.equal((await get(server, '/projects')).status, 200);

    server.injectFault({ path: /\/projects$/, resetConnection: true, times: 1 });
    await assert.rejects(get(server, '/projects'));
    assert.equal(server.requests.at(-1)!.status, 0);

    server.injectFault({ delayMs: 150, times: 1 });
    const started = Date.now();
    assert.equal((await get(server, '/projects?limit=1')).status, 200);
    assert.ok(Date.now() - started >= 140);
  });
});

describe('Hex API double rate limit', () => {
  it('answers 429 with Retry-After once a token spends its budget, per token', async () => {
    const other = 'hxtw_' + 'c'.repeat(96);
    const server = await startHexServer({
      projects: [makeProject({})],
      tokens: { [WORKSPACE_TOKEN]: { kind: 'workspace' }, [other]: { kind: 'workspace' } },
      rateLimitPerMinute: 3,
      retryAfterSeconds: 17,
    });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await get(server, '/projects')).status, 200);
      const limited = await get(server, '/projects');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '17');
      assert.equal((await get(server, '/projects', other)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('serves replaced workspace content after setProjects', async () => {
    const server = await startHexServer({ projects: [], tokens: { [WORKSPACE_TOKEN]: { kind: 'workspace' } }, latencyMs: 5 });
    try {
      assert.deepEqual((await get(server, '/projects')).body.values, []);
      const project = makeProject({ title: 'Q3.2024 "final" 🚀' });
      server.setProjects([project]);
      const { sharing: _ignored, ...expected } = project;
      assert.deepEqual((await get(server, '/projects')).body.values, [expected]);
    } finally {
      await server.close();
    }
  });
});

describe('Hex API double data connections and cell scope', () => {
  let server: HexServer;
  const connections = ['Zeta', 'alpha', 'Mid'].map((name, i) => ({
    id: `00000000-0000-4000-8000-00000000000${i}`, name, type: 'postgres',
    connectionDetails: { postgres: { hostname: 'h', port: 5432, database: name.toLowerCase(), username: 'u' } },
  }));
  const NO_CELLS = 'hxtw_' + 'd4'.repeat(48);

  before(async () => {
    const projects = makeWorkspace(3, 1);
    server = await startHexServer({
      projects, dataConnections: connections,
      tokens: { [WORKSPACE_TOKEN]: { kind: 'workspace' }, [NO_CELLS]: { kind: 'workspace', cellsScope: false } },
    });
  });
  after(() => server.close());

  it('pages data connections by name with the full object shape', async () => {
    const first = await get(server, '/data-connections?limit=2');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.values.map((c: { name: string }) => c.name), ['Mid', 'Zeta']);
    assert.equal(first.body.values[0].connectViaSsh, false);
    const second = await get(server, `/data-connections?limit=2&after=${encodeURIComponent(first.body.pagination.after)}`);
    assert.deepEqual(second.body.values.map((c: { name: string }) => c.name), ['alpha']);
    assert.equal(second.body.pagination.after, null);
    assert.equal((await get(server, '/data-connections?sortBy=TYPE')).status, 400);
  });

  it('refuses cells to a token without the cells scope', async () => {
    const answer = await get(server, '/cells?projectId=x', NO_CELLS);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.code, 'FORBIDDEN');
  });
});
