import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldBackMs } from './chaosSchedule';

test('held-back time counts overlapping delays once and adds separate ones', () => {
  assert.equal(heldBackMs([]), 0);
  assert.equal(heldBackMs([{}, { heldBack: { from: 1_000, to: 1_250 } }]), 250);
  // Eight writes held together, then one alone later, then one inside an earlier span.
  const together = Array.from({ length: 8 }, (_, i) => ({ heldBack: { from: 2_000 + i * 10, to: 2_250 + i * 10 } }));
  assert.equal(heldBackMs([...together, { heldBack: { from: 5_000, to: 5_250 } }, { heldBack: { from: 2_100, to: 2_200 } }]), 320 + 250);
});
