import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressUpdateBody } from '../../activities/pipelineStatus/progressBody';
import { pipelineStatusesOf } from '../../activities/pipelineStatus/statusesOf';
import type { StatusWrite } from '../../activities/pipelineStatus/statusBody';
import { statusWriterFor } from '../../activities/pipelineStatus/writer';

/* The forms of a run's status that differ by OpenMetadata release: statuses read as a list or one object, and 2.0's live progress. */

test('pipelineStatuses is read as 2.0 list, 1.12 object or absent; entries that are no status are dropped', () => {
  const a = { runId: 'a', pipelineState: 'running' };
  const b = { runId: 'b', pipelineState: 'success' };
  assert.deepEqual(pipelineStatusesOf({ pipelineStatuses: [a, b] }), [a, b]);
  assert.deepEqual(pipelineStatusesOf({ pipelineStatuses: a }), [a]);
  assert.deepEqual(pipelineStatusesOf({}), []);
  assert.deepEqual(pipelineStatusesOf(null), []);
  assert.deepEqual(pipelineStatusesOf({ pipelineStatuses: null }), []);
  assert.deepEqual(pipelineStatusesOf({ pipelineStatuses: [a, null, 'x', [b], { pipelineState: 'running' }] }), [a]);
});

function write(state: StatusWrite['state'], listingDone: boolean, reason?: string): StatusWrite {
  return {
    run: { fqn: 'svc.p', runId: 'r-1', startDate: 1000 },
    state,
    at: 5000,
    link: { namespace: 'default', workflowId: 'w', runId: 't', uiUrl: null },
    snapshot: {
      projectsSeen: 40, projectsFiltered: 4, records: 36, updatedRecords: 2, warningsTotal: 0, failuresTotal: reason ? 1 : 0, failures: [], listingDone,
      lineage: { prefixes: 2, done: listingDone ? 1 : 0, records: 0, warnings: 0, filtered: 0 }, ...(reason ? { reason } : {}),
    },
  };
}

test('live progress: PROCESSING while listing (no dashboard total yet), PIPELINE_COMPLETE or ERROR at the end', () => {
  const listing = progressUpdateBody(write('running', false)) as any;
  assert.equal(listing.runId, 'r-1');
  assert.equal(listing.timestamp, 5000);
  assert.equal(listing.updateType, 'PROCESSING');
  assert.equal(listing.stepName, 'Hex dashboards');
  assert.deepEqual(listing.progress.children[0], { entityType: 'Dashboard', label: 'Hex dashboards', expected: null, processed: 40, active: true });
  assert.equal(listing.progress.children[1].active, false);
  assert.deepEqual(listing.globalCounters[0], { entityType: 'Dashboard', done: 36, total: null });

  const lineage = progressUpdateBody(write('running', true)) as any;
  assert.equal(lineage.stepName, 'Lineage');
  assert.equal(lineage.progress.children[0].expected, 40);
  assert.equal(lineage.progress.processed, 1);
  assert.deepEqual(lineage.globalCounters[1], { entityType: 'LineagePrefix', done: 1, total: 2 });

  const done = progressUpdateBody(write('partialSuccess', true)) as any;
  assert.equal(done.updateType, 'PIPELINE_COMPLETE');
  assert.equal(done.estimatedSecondsRemaining, 0);
  const stopped = progressUpdateBody(write('stopped', false, 'cancelled from Temporal')) as any;
  assert.equal(stopped.updateType, 'ERROR');
  assert.match(stopped.message, /cancelled from Temporal/);
});

function recordingClient(progressFails: boolean) {
  const calls: string[] = [];
  return {
    calls,
    client: {
      async putPipelineStatus(fqn: string, body: any) { calls.push(`status ${fqn} ${body.runId}`); },
      async putPipelineProgress(fqn: string, runId: string) {
        calls.push(`progress ${fqn} ${runId}`);
        if (progressFails) throw new Error('OpenMetadata answered 404');
      },
    } as any,
  };
}

test('the 1.12 writer sends the status alone; 2.0 adds live progress, whose failure is returned, not thrown', async () => {
  for (const behaviour of [undefined, '1.12'] as const) {
    const r = recordingClient(false);
    assert.deepEqual(await statusWriterFor(behaviour).write(r.client, write('running', false)), {});
    assert.deepEqual(r.calls, ['status svc.p r-1']);
  }
  const ok = recordingClient(false);
  assert.deepEqual(await statusWriterFor('2.0').write(ok.client, write('running', false)), {});
  assert.deepEqual(ok.calls, ['status svc.p r-1', 'progress svc.p r-1']);
  const failing = recordingClient(true);
  assert.deepEqual(await statusWriterFor('2.0').write(failing.client, write('success', true)), { progressFailure: 'OpenMetadata answered 404' });
  assert.deepEqual(failing.calls, ['status svc.p r-1', 'progress svc.p r-1']);
});
