import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { runIngestion } from '../../client/index';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * A run's OpenMetadata status on both release lines: 2.0 shows the pipeline's statuses as a list and takes live
 * progress beside each status write (its failures one warning, never a failed run); 1.12 gets the status alone.
 */

const PROJECTS = 1200;

after(async () => {
  await stopSuiteTemporal();
});

for (const omVersion of ['1.12.6', '2.0.7']) {
  const v2 = omVersion.startsWith('2.');
  describe(`pipeline status against OpenMetadata ${omVersion}`, () => {
    const service = `hex_status_${v2 ? 'om2' : 'om112'}`;
    const fqn = `${service}.hex_metadata`;
    const taskQueue = `e2e-status-versions-${v2 ? 'om2' : 'om112'}-${process.pid}`;
    let world: World;
    let worker: InProcessWorker;
    const ingest = () => runIngestion({
      client: worker.client, taskQueue, env: world.secretsEnv,
      source: world.writeConfig((doc) => {
        doc.ingestionPipelineFQN = fqn;
        doc.hexmeta = { hexRequestsPerMinute: 6000 };
      }),
    });
    const progressRequests = () => world.openMetadata.requests.filter((r) => r.path.includes('/services/ingestionPipelines/progress/'));

    before(async () => {
      const projects = Array.from({ length: PROJECTS }, (_, i) => makeProject({ title: `Status report ${i}` }));
      world = await startWorld({ projects, serviceName: service, openMetadata: { version: omVersion } });
      worker = await startInProcessWorker(taskQueue, { ...world.secretsEnv, HEXMETA_PIPELINE_STATUS_INTERVAL_MS: '0' });
    });
    after(async () => {
      await worker?.stop();
      await world?.close();
    });

    test(v2 ? 'statuses come back as a list, and live progress arrives during the run' : 'one status object, and no live-progress call', async () => {
      const summary = await ingest();
      assert.equal(summary.outcome?.state, 'success');
      assert.equal(summary.openMetadataBehaviour, v2 ? '2.0' : '1.12');
      assert.deepEqual(summary.warnings.filter((w) => w.item === fqn), [], 'nothing said of the pipeline');
      const writes = world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === fqn).map((w) => w.status);
      assert.ok(writes.length >= 3, `status writes: ${writes.length}`);
      const runId = writes[0].runId;
      assert.equal(writes.at(-1)!.pipelineState, 'success');
      const shown = world.openMetadata.ingestionPipeline(fqn)!.pipelineStatuses;
      if (!v2) {
        assert.equal(shown.runId, runId);
        assert.equal(progressRequests().length, 0);
        assert.equal(world.openMetadata.progressUpdates().length, 0);
        return;
      }
      assert.ok(Array.isArray(shown), 'a list on 2.0');
      assert.equal(shown[0].runId, runId);
      assert.equal(shown[0].pipelineState, 'success');

      const updates = world.openMetadata.progressUpdates().filter((u) => u.pipeline === fqn);
      assert.equal(updates.length, writes.length, 'one progress update beside each status write');
      assert.ok(updates.every((u) => u.runId === runId && u.update.runId === runId));
      const listing = updates.filter((u) => u.update.updateType === 'PROCESSING' && u.update.progress.children[0].active
        && u.update.progress.children[0].processed > 0 && u.update.progress.children[0].processed < PROJECTS);
      assert.ok(listing.length >= 1, `an update mid-listing: ${JSON.stringify(updates.map((u) => u.update.progress.children[0]))}`);
      assert.equal(listing[0].update.progress.children[0].expected, null, 'no total while Hex has more pages');
      const last = updates.at(-1)!.update;
      assert.equal(last.updateType, 'PIPELINE_COMPLETE');
      assert.deepEqual(last.globalCounters[0], { entityType: 'Dashboard', done: PROJECTS, total: PROJECTS });
      // Timestamps follow the run: the updates were sent as it went, not all at its end.
      const stamps = updates.map((u) => u.update.timestamp);
      assert.deepEqual(stamps, [...stamps].sort((a, b) => a - b));
      assert.ok(stamps[0] < last.timestamp);
    });

    if (v2) {
      test('a server refusing live progress costs one warning; every status is still written', async () => {
        const before = world.openMetadata.pipelineStatusWrites().length;
        world.openMetadata.injectFault({ path: '/services/ingestionPipelines/progress/', status: 404, body: { code: 404, message: 'not found' }, times: 1000 });
        const summary = await ingest();
        assert.equal(summary.outcome?.state, 'success');
        const writes = world.openMetadata.pipelineStatusWrites().slice(before).filter((w) => w.pipeline === fqn);
        assert.ok(writes.length >= 3);
        assert.equal(writes.at(-1)!.status.pipelineState, 'success');
        const refused = progressRequests().filter((r) => r.status === 404);
        assert.equal(refused.length, writes.length, 'still tried beside each write');
        const said = summary.warnings.filter((w) => /live progress/.test(w.reason));
        assert.equal(said.length, 1, JSON.stringify(summary.warnings));
        assert.equal(said[0].item, fqn);
        assert.equal(summary.warnings.filter((w) => w.item === fqn).length, 1, 'the status writes themselves were not warned of');
      });
    }
  });
}
