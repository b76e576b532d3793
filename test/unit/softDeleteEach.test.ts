import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../activities/common/httpErrors';
import { DELETE_CONCURRENCY, softDeleteEach } from '../../activities/markDeletedDashboards';

const entities = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, name: `p${i}` }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test('deletes several at a time, never more than the bound', async () => {
  let inFlight = 0;
  let most = 0;
  const removed: string[] = [];
  const result = await softDeleteEach(entities(50), async (id) => {
    most = Math.max(most, ++inFlight);
    await tick();
    inFlight--;
    removed.push(id);
  });
  assert.equal(result.deleted, 50);
  assert.equal(most, DELETE_CONCURRENCY);
  assert.equal(new Set(removed).size, 50);
});

test('a refused delete is a failure of that item, in the listing order; one already gone is done', async () => {
  const result = await softDeleteEach(entities(12), async (id) => {
    const n = Number(id.slice(3));
    // Later items answer first: the failures are still reported in the order of the stale list.
    await new Promise((resolve) => setTimeout(resolve, 12 - n));
    if (n === 3 || n === 9) throw new ServiceError('OpenMetadata', 400, `refused ${id}`);
    if (n === 5) throw new ServiceError('OpenMetadata', 404, 'gone');
  });
  assert.equal(result.deleted, 9);
  assert.deepEqual(result.failures, [{ item: 'p3', reason: 'refused id-3' }, { item: 'p9', reason: 'refused id-9' }]);
});

test('a server error fails the whole call and no further delete is started', async () => {
  const started: string[] = [];
  await assert.rejects(softDeleteEach(entities(40), async (id) => {
    started.push(id);
    await tick();
    if (id === 'id-2') throw new ServiceError('OpenMetadata', 503, 'unavailable');
  }), /unavailable/);
  assert.ok(started.length < 40, `${started.length} deletes started`);
  assert.ok(started.length <= 2 * DELETE_CONCURRENCY);
});
