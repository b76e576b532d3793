import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HexProject } from '../../activities/hex/types';
import { isFilteredOut } from '../../activities/mapping/filter';
import { malformedReason, ownerEmailOf, projectUrl, sourceHashOf, toCreateDashboard } from '../../activities/mapping/dashboard';
import { tagLabel, tagNamesOf } from '../../activities/mapping/tags';
import { buildFqn, quoteName, splitFqn } from '../../activities/openmetadata/fqn';

function project(overrides: Partial<HexProject> = {}): HexProject {
  return {
    id: '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73', title: 'Weekly Revenue Review', description: 'Revenue by region.\n\n',
    type: 'PROJECT', creator: { email: 'maria@acme.example' }, owner: { email: 'dev@acme.example' },
    status: { name: 'Approved' }, categories: [{ name: 'Finance' }, { name: 'Exec' }],
    lastEditedAt: '2025-02-11T09:14:03.512Z', lastPublishedAt: null, createdAt: '2024-06-03T12:45:10.224Z',
    archivedAt: null, trashedAt: null, ...overrides,
  };
}

test('filter patterns follow OpenMetadata: anchored at the start, case-insensitive, excludes win', () => {
  assert.equal(isFilteredOut('Sales Q1', { includes: ['sales'], excludes: [] }), false);
  assert.equal(isFilteredOut('Q1 Sales', { includes: ['sales'], excludes: [] }), true);
  assert.equal(isFilteredOut('Sales Q1', { includes: ['sales'], excludes: ['.*q1'] }), true);
  assert.equal(isFilteredOut('Sales', { includes: [], excludes: [] }), false);
  assert.equal(isFilteredOut('', { includes: [], excludes: [] }), true);
  assert.equal(isFilteredOut('anything', null), false);
  assert.equal(isFilteredOut('Sales Q1', { includes: ['sales$'], excludes: [] }), true);
  // Python's leading inline flags are accepted as OpenMetadata (Python re) accepts them.
  assert.equal(isFilteredOut('Scratch pad', { includes: [], excludes: ['(?i)scratch'] }), true);
  assert.equal(isFilteredOut('a\nb', { includes: ['(?s)a.b'], excludes: [] }), false);
  // Lookahead (not in RE2) still works through the guarded fallback.
  assert.equal(isFilteredOut('tmp_orders', { includes: ['^(?!tmp)'], excludes: [] }), true);
  assert.equal(isFilteredOut('orders', { includes: ['^(?!tmp)'], excludes: [] }), false);
});

test('a catastrophic-backtracking pattern cannot stall matching on a long title', () => {
  const title = 'a'.repeat(50_000) + '!';
  const started = process.hrtime.bigint();
  assert.equal(isFilteredOut(title, { includes: ['(a+)+$'], excludes: [] }), true);
  assert.equal(isFilteredOut(title, { includes: [], excludes: ['(a|aa)*b'] }), false);
  // Backtracking engines take exponential time here; RE2 is linear (generous bound for a loaded machine).
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 5_000);
});

test('a project becomes a CreateDashboard named by its id', () => {
  const request = toCreateDashboard(project(), {
    serviceName: 'hex', hostPort: 'https://app.hex.tech/', workspace: 'acme', tagNames: ['Finance', 'Approved'],
    owner: { id: 'u-1', type: 'user', name: 'dev' },
  });
  assert.equal(request.name, '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73');
  assert.equal(request.displayName, 'Weekly Revenue Review');
  assert.equal(request.description, 'Revenue by region.');
  assert.equal(request.sourceUrl, 'https://app.hex.tech/acme/hex/3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73');
  assert.deepEqual(request.owners, [{ id: 'u-1', type: 'user' }]);
  assert.deepEqual(request.tags?.map((t) => t.tagFQN), ['HexCategories.Finance', 'HexCategories.Approved']);
  assert.match(request.sourceHash ?? '', /^[0-9a-f]{32}$/);
});

test('published projects link to the app view; no workspace means no link', () => {
  assert.equal(projectUrl('https://hex.example', 'ws', project({ lastPublishedAt: '2025-01-01T00:00:00Z' })),
    'https://hex.example/ws/app/3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73');
  assert.equal(projectUrl('https://hex.example', null, project()), undefined);
});

test('null description is left out; owner falls back to the creator', () => {
  const request = toCreateDashboard(project({ description: null }), { serviceName: 's', hostPort: 'h', workspace: null, tagNames: [], owner: null });
  assert.equal('description' in request, false);
  assert.equal('tags' in request, false);
  assert.equal(ownerEmailOf(project({ owner: null })), 'maria@acme.example');
  assert.equal(ownerEmailOf(project({ owner: null, creator: null })), null);
});

test('the source hash changes with content and not with tag order', () => {
  const base = toCreateDashboard(project(), { serviceName: 's', hostPort: 'h', workspace: 'w', tagNames: ['A', 'B'], owner: null });
  const swapped = toCreateDashboard(project(), { serviceName: 's', hostPort: 'h', workspace: 'w', tagNames: ['B', 'A'], owner: null });
  const retitled = toCreateDashboard(project({ title: 'Other' }), { serviceName: 's', hostPort: 'h', workspace: 'w', tagNames: ['A', 'B'], owner: null });
  assert.equal(base.sourceHash, swapped.sourceHash);
  assert.notEqual(base.sourceHash, retitled.sourceHash);
  assert.equal(sourceHashOf(base), base.sourceHash);
});

test('categories and status become de-duplicated tag names; dotted names are FQN-quoted', () => {
  assert.deepEqual(tagNamesOf(project({ categories: [{ name: 'Fin.Ops' }, { name: 'Fin.Ops' }, { name: ' ' }], status: { name: 'Approved' } })), ['Fin.Ops', 'Approved']);
  assert.equal(tagLabel('Fin.Ops').tagFQN, 'HexCategories."Fin.Ops"');
  assert.equal(quoteName('"abc"'), 'abc');
  assert.equal(buildFqn('hex', 'a.b'), 'hex."a.b"');
  assert.deepEqual(splitFqn('svc."a.b".c'), ['svc', 'a.b', 'c']);
});

test('malformed projects are recognised before mapping', () => {
  assert.equal(malformedReason({ title: 'x' }), 'missing id');
  assert.equal(malformedReason(null), 'not an object');
  assert.equal(malformedReason({ id: 'a::b' })?.includes('not a valid entity name'), true);
  assert.equal(malformedReason(project()), null);
});
