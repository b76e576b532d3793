import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advisedNodeOptions, keepsSourceMaps, missingWorkerFlags } from '../../worker/nodeFlags';

describe('advised worker V8 flags', () => {
  it('are written as NODE_OPTIONS, with values replaced or left out (0)', () => {
    assert.equal(advisedNodeOptions(), '--max-old-space-size=256 --max-semi-space-size=4');
    assert.equal(advisedNodeOptions({ 'max-old-space-size': 160, 'max-semi-space-size': 0 }), '--max-old-space-size=160');
  });

  it('are found on the command line or in NODE_OPTIONS, spelled with - or _', () => {
    assert.deepEqual(missingWorkerFlags([], undefined), ['max-old-space-size', 'max-semi-space-size']);
    assert.deepEqual(missingWorkerFlags(['--max-old-space-size=512'], '--enable-source-maps'), ['max-semi-space-size']);
    assert.deepEqual(missingWorkerFlags([], ' --max_semi_space_size=4  --max-old-space-size=300 '), []);
    assert.deepEqual(missingWorkerFlags(['--require', 'x.js'], '--max-old-space-size'), ['max-semi-space-size']);
  });

  it('leave source maps to commands other than the worker, and to a worker started with --enable-source-maps', () => {
    assert.equal(keepsSourceMaps('worker', [], undefined), false);
    assert.equal(keepsSourceMaps('worker', [], '--max-old-space-size=256'), false);
    assert.equal(keepsSourceMaps('worker', ['--enable-source-maps'], undefined), true);
    assert.equal(keepsSourceMaps('worker', [], '--max-old-space-size=256 --enable-source-maps'), true);
    assert.equal(keepsSourceMaps('ingest', [], undefined), true);
    assert.equal(keepsSourceMaps(undefined, [], undefined), true);
  });
});
