import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { scrubbedAtBoundary } from '../../activities/runtime/boundary';
import { registerSecrets } from '../../activities/common/scrubber';

const SECRET = 'hxtw_boundary_secret_0123';

test('an activity\'s result, heartbeat details and thrown failure leave it scrubbed, the failure keeping its retry rules', async () => {
  registerSecrets([SECRET]);
  const activities = scrubbedAtBoundary({
    async echoes(reason: string) {
      Context.current().heartbeat({ cursor: 'c1', warnings: [{ item: 'p', reason }] });
      return { failures: [{ item: 'p', reason }], next: 'c2' };
    },
    async fails(reason: string) {
      throw ApplicationFailure.create({ type: 'ServiceError', message: reason, nonRetryable: true, details: [{ reason }] });
    },
  });
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => beats.push(details));

  const result = await env.run(activities.echoes, `Hex answered 400: token ${SECRET} in Authorization: Bearer ${SECRET}`);
  assert.deepEqual(result, { failures: [{ item: 'p', reason: 'Hex answered 400: token *** in Authorization: Bearer ***' }], next: 'c2' });
  assert.deepEqual(beats, [{ cursor: 'c1', warnings: [{ item: 'p', reason: 'Hex answered 400: token *** in Authorization: Bearer ***' }] }]);

  await assert.rejects(env.run(activities.fails, `echo ${SECRET}`), (error: unknown) => {
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.message, 'echo ***');
    assert.deepEqual(error.details, [{ reason: 'echo ***' }]);
    assert.equal(error.nonRetryable, true);
    assert.ok(!String(error.stack).includes(SECRET));
    return true;
  });
});
