import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordedRequest } from '../../servers/openMetadataServer';
import { compareWrites, repeated, writeLedger } from './snapshot';

const OWNER_A = '11111111-1111-4111-8111-111111111111';
const OWNER_B = '22222222-2222-4222-8222-222222222222';
const DASHBOARD_B = '33333333-3333-4333-8333-333333333333';

function request(method: string, path: string, body: unknown, status = 200): RecordedRequest {
  return { method, path, query: {}, headers: {}, body, status, receivedAt: 0 };
}

const dashboard = (owner: string, sourceHash: string, displayName = 'Revenue') => request('PUT', '/api/v1/dashboards', {
  name: 'p1', service: 'hex', displayName, owners: [{ id: owner, type: 'user' }], sourceHash,
});

test('writes of two doubles match by names: ids and the id-derived sourceHash do not count', () => {
  const clean = writeLedger([dashboard(OWNER_A, 'aaa')], 0, new Map([[OWNER_A, 'user:maria']]));
  const chaos = writeLedger([dashboard(OWNER_B, 'bbb')], 0, new Map([[OWNER_B, 'user:maria']]));
  assert.deepEqual(compareWrites(clean, chaos), { cleanWrites: 1, chaosWrites: 1, lost: [], foreign: [], extraByKind: {}, extra: 0 });
});

test('a repeated PUT is extra; reads, failed writes and writes before `since` are not writes', () => {
  const names = new Map([[OWNER_A, 'user:maria']]);
  const clean = writeLedger([dashboard(OWNER_A, 'x')], 0, names);
  const chaos = writeLedger([
    request('PUT', '/api/v1/tags', { name: 'seeded' }),
    dashboard(OWNER_A, 'x'),
    dashboard(OWNER_A, 'x'),
    request('GET', '/api/v1/dashboards', undefined),
    request('PUT', '/api/v1/dashboards', { name: 'p2' }, 400),
  ], 1, names);
  const comparison = compareWrites(clean, chaos);
  assert.equal(comparison.extra, 1);
  assert.deepEqual(comparison.extraByKind, { 'PUT dashboards': 1 });
  assert.deepEqual([comparison.lost, comparison.foreign], [[], []]);
});

test('a write with another body is foreign and leaves the clean one lost; deletes group by the name in their path', () => {
  const names = new Map([[OWNER_A, 'user:maria'], [DASHBOARD_B, 'dashboard:p9']]);
  const clean = writeLedger([dashboard(OWNER_A, 'x'), request('DELETE', `/api/v1/dashboards/${DASHBOARD_B}`, undefined)], 0, names);
  const chaos = writeLedger([dashboard(OWNER_A, 'x', 'Revenue (partial)'), request('DELETE', `/api/v1/dashboards/${DASHBOARD_B}`, undefined)], 0, names);
  const comparison = compareWrites(clean, chaos);
  assert.equal(comparison.lost.length, 1);
  assert.match(comparison.lost[0], /"displayName":"Revenue"/);
  assert.equal(comparison.foreign.length, 1);
  assert.match(comparison.foreign[0], /Revenue \(partial\)/);
  assert.ok([...chaos.keys()].some((key) => key === 'DELETE /api/v1/dashboards/dashboard:p9 null'));
  assert.equal([...chaos.values()].find((e) => e.method === 'DELETE')?.kind, 'dashboards');
});

test('a bulk write counts as the single PUTs it stands for, however the dashboards were batched', () => {
  const names = new Map([[OWNER_A, 'user:maria']]);
  const item = (name: string) => ({ name, service: 'hex', owners: [{ id: OWNER_A, type: 'user' }], sourceHash: name });
  const clean = writeLedger([request('PUT', '/api/v1/dashboards/bulk', [item('p1'), item('p2'), item('p3')])], 0, names);
  const chaos = writeLedger([
    request('PUT', '/api/v1/dashboards/bulk', [item('p1')]),
    request('PUT', '/api/v1/dashboards/bulk', [item('p2'), item('p3')]),
    request('PUT', '/api/v1/dashboards/bulk', [item('p3')]),
  ], 0, names);
  const comparison = compareWrites(clean, chaos);
  assert.deepEqual([comparison.cleanWrites, comparison.chaosWrites, comparison.lost, comparison.foreign], [3, 4, [], []]);
  assert.deepEqual(comparison.extraByKind, { 'PUT dashboards': 1 });
});

test('repeated names the keys that occur more than once', () => {
  assert.deepEqual(repeated(['a1', 'b1', 'a2'], (item) => item[0]), ['a']);
});

test('writes to entities addressed by name count under their collection', () => {
  const usage = (name: string) => request('PUT', `/api/v1/usage/dashboard/name/hex.${name}`, { count: 1, date: '2026-12-06' });
  const clean = writeLedger([usage('p1'), usage('p2')], 0, new Map());
  const chaos = writeLedger([usage('p1'), usage('p2'), usage('p1'), usage('p2')], 0, new Map());
  assert.deepEqual(compareWrites(clean, chaos).extraByKind, { 'PUT usage/dashboard/name': 2 });
});
