import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EdgeClaims } from '../../activities/edges/edgeClaims';

describe('edge claims of a run', () => {
  it('say whether a pair is new, taken by the same claimant, or claimed earlier by another', () => {
    const claims = new EdgeClaims();
    assert.equal(claims.claim('t1', 'd1', 'attempt-1'), 'new');
    assert.equal(claims.claim('t1', 'd1', 'attempt-1'), 'taken');
    assert.equal(claims.claim('t1', 'd1', 'attempt-2'), 'earlier');
    assert.equal(claims.claim('t1', 'd2', 'attempt-2'), 'new', 'the same table feeding another dashboard');
    assert.equal(claims.claim('t2', 'd1', 'cells'), 'new');
    assert.equal(claims.claim('t2', 'd1', 'attempt-1'), 'earlier');
  });

  it("give a claim back after a failed write, leaving the dashboard's other claims", () => {
    const claims = new EdgeClaims();
    claims.claim('t1', 'd1', 'a');
    claims.claim('t2', 'd1', 'a');
    claims.claim('t3', 'd1', 'a');
    claims.release('t2', 'd1');
    assert.equal(claims.claim('t2', 'd1', 'b'), 'new');
    assert.equal(claims.claim('t1', 'd1', 'b'), 'earlier');
    assert.equal(claims.claim('t3', 'd1', 'a'), 'taken');
    claims.release('t9', 'd1');
    claims.release('t1', 'd9');
    for (const t of ['t1', 't2', 't3']) claims.release(t, 'd1');
    assert.equal(claims.claim('t3', 'd1', 'b'), 'new');
  });

  it('keep apart many tables and claimants on one dashboard', () => {
    const claims = new EdgeClaims();
    for (let t = 0; t < 3000; t++) assert.equal(claims.claim(`table-${t}`, 'd', `attempt-${t % 7}`), 'new');
    for (let t = 0; t < 3000; t++) {
      assert.equal(claims.claim(`table-${t}`, 'd', `attempt-${t % 7}`), 'taken');
      assert.equal(claims.claim(`table-${t}`, 'd', `attempt-${(t + 1) % 7}`), 'earlier');
    }
  });
});
