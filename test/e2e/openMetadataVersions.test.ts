import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runIngestion } from '../../client/index';
import { makeProject, makeWorkspace, type HexCell, type HexProject } from '../../servers/hexServer';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * What differs between OpenMetadata 1.12 and 2.0 as a run sees it: the behaviour chosen, deleteStale in one
 * request (2.0) against list-and-delete (1.12), overrideMetadata on bulk writes (2.0) or one warning (1.12),
 * and markDeletedCharts on both.
 */

function chartCell(projectId: string, label: string): HexCell {
  return {
    id: randomUUID(), staticId: randomUUID(), cellType: 'VEGA_CHART', label, dataConnectionId: null,
    contents: { codeCell: null, sqlCell: null, markdownCell: null }, projectId,
  };
}

after(async () => {
  await stopSuiteTemporal();
});

for (const omVersion of ['1.12.6', '2.0.7']) {
  const v2 = omVersion.startsWith('2.');
  describe(`against OpenMetadata ${omVersion}`, () => {
    const service = `hex_versions_${v2 ? 'om2' : 'om112'}`;
    const taskQueue = `e2e-versions-${v2 ? 'om2' : 'om112'}`;
    const projects: HexProject[] = makeWorkspace(24, 5).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
    const charted = makeProject({ title: 'Charted project' });
    const component = makeProject({ title: 'Shared component', type: 'COMPONENT' });
    const cells = { [charted.id]: [chartCell(charted.id, 'Revenue'), chartCell(charted.id, 'Margin')] };
    let world: World;
    let worker: InProcessWorker;
    const ingest = (mutate?: (doc: any) => void) => runIngestion({
      client: worker.client, taskQueue, env: world.secretsEnv,
      source: world.writeConfig((doc) => {
        doc.hexmeta = { charts: true, hexCellRequestsPerMinute: 6000 };
        // A file written for 2.0 works against both.
        doc.source.sourceConfig.config.markDeletedCharts = true;
        doc.source.sourceConfig.config.includeUsage = true;
        mutate?.(doc);
      }),
    });

    before(async () => {
      world = await startWorld({ projects: [...projects, charted, component], serviceName: service, hex: { cells }, openMetadata: { version: omVersion } });
      worker = await startInProcessWorker(taskQueue, world.secretsEnv);
    });
    after(async () => {
      await worker?.stop();
      await world?.close();
    });

    test('the run names the behaviour it chose from the server version', async () => {
      // The pipeline it creates carries the file's sourceConfig: 2.0's keys are left out for a 1.12 server.
      const summary = await ingest((doc) => { doc.ingestionPipelineFQN = `${service}.hex_metadata`; });
      assert.deepEqual(summary.warnings.filter((w) => /pipeline status|OpenMetadata version/.test(`${w.item} ${w.reason}`)), []);
      const pipelineConfig = world.openMetadata.ingestionPipeline(`${service}.hex_metadata`)?.sourceConfig?.config;
      assert.equal(pipelineConfig?.markDeletedCharts, v2 ? true : undefined);
      assert.equal(summary.openMetadataVersion, omVersion);
      assert.equal(summary.openMetadataBehaviour, v2 ? '2.0' : '1.12');
      assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
      assert.equal(summary.dashboardsCreated, projects.length + 1);
      const bulk = world.openMetadata.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/dashboards/bulk'));
      assert.ok(bulk.length > 0);
      for (const request of bulk) assert.equal(request.query.overrideMetadata, v2 ? 'false' : undefined);
    });

    test(`projects gone from Hex: dashboards marked deleted ${v2 ? 'by one deleteStale request' : 'one by one after a listing'}`, async () => {
      const gone = projects.slice(0, 3);
      world.hex.setProjects([...projects.slice(3), charted, component]);
      const from = world.openMetadata.requests.length;
      const summary = await ingest();
      assert.equal(summary.dashboardsMarkedDeleted, gone.length);
      const requests = world.openMetadata.requests.slice(from);
      const deleteStale = requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/dashboards/deleteStale'));
      const oneByOne = requests.filter((r) => r.method === 'DELETE' && /\/dashboards\/[0-9a-f-]{36}$/.test(r.path));
      assert.equal(deleteStale.length, v2 ? 1 : 0);
      assert.equal(oneByOne.length, v2 ? 0 : gone.length);
      const deleted = world.openMetadata.dashboards().filter((d) => d.deleted).map((d) => d.name).sort();
      assert.deepEqual(deleted, gone.map((p) => p.id).sort());
    });

    test('markDeletedCharts: charts of a cell removed and of a component gone are soft-deleted, the rest kept', async () => {
      const chartNames = (deleted: boolean) => listCharts(world, deleted);
      assert.equal((await chartNames(false)).length, 3, 'two cell charts and the component chart');
      const [kept] = cells[charted.id];
      cells[charted.id] = [kept];
      world.hex.setProjects([...projects.slice(3), { ...charted, description: 'One chart left' }]);
      const summary = await ingest();
      assert.equal(summary.chartsMarkedDeleted, 2, JSON.stringify(summary));
      assert.deepEqual(await chartNames(false), [kept.staticId]);
      assert.equal((await chartNames(true)).length, 2);
    });

    test(`overrideMetadata: ${v2 ? 'sent with bulk writes, so a curated description is overwritten' : 'one warning that 1.12 cannot honour it'}`, async () => {
      const target = projects[5];
      world.openMetadata.curate('dashboard', `${service}.${target.id}`, { description: 'Curated by a person' });
      world.hex.setProjects([...projects.slice(3).map((p) => ({ ...p, description: `${p.description ?? ''} (edited)` })), charted]);
      const from = world.openMetadata.requests.length;
      const summary = await ingest((doc) => { doc.sink.config = { override_metadata: true }; });
      const warnings = summary.warnings.filter((w) => w.item === 'overrideMetadata');
      assert.equal(warnings.length, v2 ? 0 : 1);
      const bulk = world.openMetadata.requests.slice(from).filter((r) => r.method === 'PUT' && r.path.endsWith('/dashboards/bulk'));
      assert.ok(bulk.length > 0);
      for (const request of bulk) assert.equal(request.query.overrideMetadata, v2 ? 'true' : undefined);
      const stored = world.openMetadata.dashboards().find((d) => d.name === target.id)!;
      if (v2) assert.match(stored.description, /\(edited\)/);
      else assert.equal(stored.description, 'Curated by a person');
    });
  });
}

async function listCharts(world: World, deleted: boolean): Promise<string[]> {
  const response = await fetch(`${world.openMetadata.url}/v1/charts?limit=100&include=${deleted ? 'deleted' : 'non-deleted'}`, {
    headers: { Authorization: `Bearer ${world.secretsEnv.OM_JWT}` },
  });
  const body = await response.json() as { data: { name: string }[] };
  return body.data.map((c) => c.name).sort();
}
