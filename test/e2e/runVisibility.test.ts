import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { listRuns, startIngestion } from '../../client/index';
import { SERVICE_ATTRIBUTE, TRIGGER_ATTRIBUTE } from '../../client/visibility';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * What Temporal shows of a run: HexmetaService/HexmetaTrigger search attributes (set at start, or by the run
 * itself when the Web UI started it without them), the summary and details, the memo and the current details.
 */

const TASK_QUEUE = `e2e-visibility-${process.pid}`;
let world: World;
let worker: InProcessWorker;

before(async () => {
  world = await startWorld({ projects: makeWorkspace(30, 5), serviceName: 'hex_vis' });
  worker = await startInProcessWorker(TASK_QUEUE, world.secretsEnv);
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

test('a run started through the API carries the service, the trigger, a summary, details, memo and current details', async () => {
  const configPath = world.writeConfig((doc) => { doc.source.serviceName = 'hex_vis_api'; }, 'api.yaml');
  const handle = await startIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env: world.secretsEnv });
  await handle.result();
  const wf = worker.client.workflow.getHandle(handle.workflowId);
  const description = await wf.describe();
  assert.equal(description.typedSearchAttributes.get(SERVICE_ATTRIBUTE), 'hex_vis_api');
  assert.equal(description.typedSearchAttributes.get(TRIGGER_ATTRIBUTE), 'api');
  assert.equal(await description.staticSummary(), 'Hex → OpenMetadata: hex_vis_api');
  const details = await description.staticDetails();
  assert.match(details ?? '', new RegExp(`Workflow file: ${configPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  assert.match(details ?? '', /Listing: full/);
  assert.deepEqual(description.memo, { configFile: configPath });
  const metadata = await wf.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  assert.match(metadata.currentDetails ?? '', /^done · pages 1 · projects 27 · dashboards \+\d+/);
  for (const secret of [HEX_TOKEN, OM_JWT]) {
    assert.ok(!JSON.stringify({ details, memo: description.memo, current: metadata.currentDetails }).includes(secret));
  }
});

test('a run started without attributes (as the Web UI does) sets them itself, trigger ui; listRuns filters by them', async () => {
  const configPath = world.writeConfig((doc) => { doc.source.serviceName = 'hex_vis_ui'; }, 'ui.yaml');
  const started = await worker.client.workflow.start('hexIngestion', {
    taskQueue: TASK_QUEUE, workflowId: 'hexmeta-ingestion-hex_vis_ui', args: [{ configPath }],
  });
  await started.result();
  const description = await started.describe();
  assert.equal(description.typedSearchAttributes.get(SERVICE_ATTRIBUTE), 'hex_vis_ui');
  assert.equal(description.typedSearchAttributes.get(TRIGGER_ATTRIBUTE), 'ui');

  const uiRuns = await eventually(() => listRuns({ client: worker.client, trigger: 'ui' }), (runs) => runs.some((r) => r.serviceName === 'hex_vis_ui'));
  assert.ok(uiRuns.some((r) => r.serviceName === 'hex_vis_ui' && r.trigger === 'ui'));
  assert.ok(!uiRuns.some((r) => r.serviceName === 'hex_vis_api'), 'the API run is not a ui run');
  const serviceRuns = await listRuns({ client: worker.client, serviceName: 'hex_vis_ui' });
  assert.deepEqual(serviceRuns.map((r) => r.serviceName), ['hex_vis_ui']);
});

test("a wait on Hex's Retry-After shows in the current details with its end, and is gone once it has passed", async () => {
  const configPath = world.writeConfig((doc) => { doc.source.serviceName = 'hex_vis_wait'; }, 'wait.yaml');
  world.hex.injectFault({ path: '/api/v1/projects', status: 429, headers: { 'Retry-After': '6' }, body: { reason: 'Too many requests' }, times: 1 });
  const handle = await startIngestion({ client: worker.client, source: configPath, taskQueue: TASK_QUEUE, env: world.secretsEnv });
  const wf = worker.client.workflow.getHandle(handle.workflowId);
  const current = async () => (await wf.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';
  const waiting = await eventually(current, (details) => /waiting on/.test(details));
  const seenAt = Date.now();
  const match = /^(?:preparing|dashboards) · pages 0 · .* · waiting on Hex's Retry-After until (\d\d):(\d\d):(\d\d) UTC$/.exec(waiting);
  assert.ok(match, waiting);
  const until = new Date(seenAt);
  until.setUTCHours(Number(match[1]), Number(match[2]), Number(match[3]), 0);
  if (until.getTime() < seenAt - 12 * 3600_000) until.setUTCDate(until.getUTCDate() + 1);
  const ahead = until.getTime() - seenAt;
  assert.ok(ahead > 0 && ahead <= 7_000, `wait ends ${ahead} ms after it was seen (Retry-After: 6)`);
  const progress = await wf.query<{ waiting?: { reason: string; until: string } }>('progress');
  assert.equal(progress.waiting?.reason, 'Retry-After');

  const summary = await handle.result();
  assert.equal(summary.failuresTotal, 0);
  assert.ok(summary.pagesRead >= 1);
  assert.equal(summary.waiting, undefined, 'a passed wait is not kept');
  const done = await current();
  assert.match(done, /^done · pages 1 · /);
  assert.doesNotMatch(done, /waiting/);
});
