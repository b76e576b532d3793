import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { makeProject, makeWorkspace, type HexProject } from '../../servers/hexServer';
import { startIngestion, runIngestion } from '../../client/index';
import { pipelineRunIdFor } from '../../activities/pipelineStatus/runId';
import { cliEnv, runCli, spawnCli, startWorkerProcess } from '../support/cli';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal, suiteTemporal, temporalBinary } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * Runs reported to OpenMetadata's ingestion pipeline status (`ingestionPipelineFQN`): the pipeline created when
 * absent, `running` with live counts, the end state by `successThreshold`, `stopped` after a cancel, one
 * OpenMetadata run across a worker crash, and no secret in any status body.
 */

const TASK_QUEUE = `e2e-pipeline-status-${process.pid}`;
const FAST = { HEXMETA_PIPELINE_STATUS_INTERVAL_MS: '0' };
const good = (n: number, tag: string) => Array.from({ length: n }, (_, i) => makeProject({ title: `Report ${tag} ${i}` }));
const malformed = () => ({ ...makeProject({ title: 'x' }), title: 42 }) as unknown as HexProject;

let world: World;
let worker: InProcessWorker;
let address: string;

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects: good(1200, 'big'), serviceName: 'hex_status' });
  worker = await startInProcessWorker(TASK_QUEUE, { ...world.secretsEnv, ...FAST });
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

function configFor(service: string, mutate: (doc: any) => void = () => undefined): string {
  return world.writeConfig((doc) => {
    doc.source.serviceName = service;
    doc.ingestionPipelineFQN = `${service}.hex_metadata`;
    doc.hexmeta = { hexRequestsPerMinute: 6000 };
    mutate(doc);
  }, `${service}.yaml`);
}

const writesOf = (service: string) => world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === `${service}.hex_metadata`).map((w) => w.status);

test('the pipeline is created under the service, and the run reports running, live counts, then success', async () => {
  const service = 'hex_status_live';
  const handle = await startIngestion({ client: worker.client, source: configFor(service), taskQueue: TASK_QUEUE, env: world.secretsEnv });
  const summary = await handle.result();
  assert.equal(summary.outcome?.state, 'success');

  const pipeline = world.openMetadata.ingestionPipeline(`${service}.hex_metadata`)!;
  assert.ok(pipeline, 'pipeline created');
  assert.equal(pipeline.name, 'hex_metadata');
  assert.equal(pipeline.pipelineType, 'metadata');
  assert.equal(pipeline.service.type, 'dashboardService');
  assert.equal(pipeline.service.name, service);
  assert.deepEqual(pipeline.sourceConfig, { config: { type: 'DashboardMetadata', includeOwners: true } });

  const writes = writesOf(service);
  assert.ok(writes.length >= 3, `writes: ${writes.length}`);
  const runIds = new Set(writes.map((w) => w.runId));
  assert.equal(runIds.size, 1, 'one OpenMetadata run');
  const described = await worker.client.workflow.getHandle(handle.workflowId).describe();
  assert.equal([...runIds][0], pipelineRunIdFor(`${handle.workflowId}/${described.runId}`));
  assert.equal(writes[0].pipelineState, 'running');
  assert.equal(writes[0].endDate, undefined);
  const live = writes.filter((w) => w.pipelineState === 'running' && w.status[0].progress.dashboards.processed > 0 && w.status[0].progress.dashboards.processed < 1200);
  assert.ok(live.length >= 1, `a running update mid-listing: ${JSON.stringify(writes.map((w) => w.status[0].progress))}`);
  assert.equal(live[0].status[0].progress.dashboards.total, undefined, 'no total while Hex has more pages');
  const last = writes.at(-1)!;
  assert.equal(last.pipelineState, 'success');
  assert.ok(last.endDate >= last.startDate);
  assert.equal(last.startDate, writes[0].startDate);
  assert.deepEqual(last.status[0].progress, { dashboards: { total: 1200, processed: 1200, estimatedRemainingSeconds: 0 } });
  assert.equal(last.status[0].records, 1200);
  assert.equal(last.status[0].errors, 0);
  assert.equal(last.metadata.temporalWorkflowId, handle.workflowId);
  assert.equal(last.metadata.temporalRunId, described.runId);
  assert.equal(last.metadata.temporalNamespace, 'default');

  // A second run of the same workflow id is a new OpenMetadata run; pipelineRunId is used as given.
  await runIngestion({ client: worker.client, source: configFor(service, (doc) => { doc.pipelineRunId = 'run-from-scheduler-42'; }), taskQueue: TASK_QUEUE, env: world.secretsEnv });
  const after = writesOf(service).slice(writes.length);
  assert.ok(after.length >= 2);
  assert.ok(after.every((w) => w.runId === 'run-from-scheduler-42'));
  assert.equal(world.openMetadata.ingestionPipeline(`${service}.hex_metadata`)!.pipelineStatuses.pipelineState, 'success');
});

test('end states by successThreshold: partialSuccess at or above it, failed below it; raiseOnError false exits 0', async () => {
  world.hex.setProjects([...good(12, 'small'), malformed()]);
  const cases = [
    { service: 'hex_status_partial', threshold: 90, raise: true, state: 'partialSuccess', code: 1 },
    { service: 'hex_status_failed', threshold: 95, raise: true, state: 'failed', code: 1 },
    { service: 'hex_status_noraise', threshold: 95, raise: false, state: 'failed', code: 0 },
  ];
  try {
    for (const c of cases) {
      const configPath = configFor(c.service, (doc) => {
        doc.workflowConfig.successThreshold = c.threshold;
        doc.workflowConfig.raiseOnError = c.raise;
      });
      const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address }));
      assert.equal(result.code, c.code, `${c.service}: ${result.stderr}`);
      const summary = JSON.parse(result.stdout);
      assert.equal(summary.outcome.state, c.state);
      assert.equal(summary.outcome.successRate, 92.31);
      const last = writesOf(c.service).at(-1)!;
      assert.equal(last.pipelineState, c.state, c.service);
      assert.equal(last.status[0].errors, 1);
      assert.equal(last.status[0].failures.length, 1);
      assert.match(last.status[0].failures[0].error, /^malformed project from Hex/);
    }
  } finally {
    world.hex.setProjects(good(1200, 'big'));
  }
});

test('no secret in any status body, even when OpenMetadata echoes credentials in an error', async () => {
  const service = 'hex_status_secrets';
  world.hex.setProjects(good(30, 'echo'));
  world.openMetadata.injectFault({ path: /\/v1\/dashboards\/bulk$/, status: 400, body: { code: 400, message: 'refused' }, times: 1 });
  world.openMetadata.injectFault({ path: /\/v1\/dashboards$/, delayMs: 1, times: 1 });
  world.openMetadata.injectFault({
    path: /\/v1\/dashboards$/, status: 400, times: 1,
    body: { code: 400, message: `bad request from Authorization: Bearer ${OM_JWT} with hex token ${HEX_TOKEN}` },
  });
  try {
    const summary = await runIngestion({ client: worker.client, source: configFor(service), taskQueue: TASK_QUEUE, env: world.secretsEnv });
    assert.equal(summary.failuresTotal, 1);
  } finally {
    world.hex.setProjects(good(1200, 'big'));
  }
  const writes = writesOf(service);
  const last = writes.at(-1)!;
  assert.equal(last.status[0].failures.length, 1);
  assert.match(last.status[0].failures[0].error, /Bearer \*\*\*/);
  for (const body of world.openMetadata.pipelineStatusWrites()) {
    const text = JSON.stringify(body);
    for (const secret of [OM_JWT, HEX_TOKEN]) assert.ok(!text.includes(secret), `secret in a status body: ${text.slice(0, 300)}`);
  }
});

test('a status write that fails is one warning; the ingestion completes', async () => {
  const service = 'hex_status_down';
  world.hex.setProjects(good(30, 'down'));
  world.openMetadata.injectFault({ path: /hex_status_down\.hex_metadata\/pipelineStatus$/, status: 500, body: { code: 500, message: 'status store down' }, times: 1000 });
  try {
    const summary = await runIngestion({ client: worker.client, source: configFor(service), taskQueue: TASK_QUEUE, env: world.secretsEnv });
    assert.equal(summary.phase, 'done');
    assert.equal(summary.dashboardsCreated, 30);
    const warnings = summary.warnings.filter((w) => /pipeline status/.test(w.reason));
    assert.equal(warnings.length, 1, JSON.stringify(summary.warnings));
    assert.equal(summary.outcome?.state, 'success');
  } finally {
    world.hex.setProjects(good(1200, 'big'));
  }
});

test('a run cancelled from the Temporal CLI ends stopped in OpenMetadata', async () => {
  const service = 'hex_status_cancel';
  // Every page answered slowly, so the run is still listing when the cancel comes.
  world.hex.injectFault({ path: '/projects', delayMs: 1500, times: 20 });
  const handle = await startIngestion({ client: worker.client, source: configFor(service), taskQueue: TASK_QUEUE, env: world.secretsEnv });
  const deadline = Date.now() + 30_000;
  while (!writesOf(service).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.equal(writesOf(service)[0]?.pipelineState, 'running');
  const cancel = spawnSync(temporalBinary(), ['workflow', 'cancel', '--workflow-id', handle.workflowId, '--address', address], { encoding: 'utf8' });
  assert.equal(cancel.status, 0, cancel.stderr);
  await assert.rejects(handle.result(), (error) => error instanceof WorkflowFailedError);
  const last = writesOf(service).at(-1)!;
  assert.equal(last.pipelineState, 'stopped');
  assert.ok(last.endDate >= last.startDate);
  assert.equal(new Set(writesOf(service).map((w) => w.runId)).size, 1);
});

test('a worker killed mid-run: the resumed run reports to the same OpenMetadata run', async () => {
  const service = 'hex_status_kill';
  const taskQueue = `${TASK_QUEUE}-kill`;
  world.hex.injectFault({ path: '/projects', delayMs: 400, times: 30 });
  const env = cliEnv({ ...world.secretsEnv, ...FAST, TEMPORAL_ADDRESS: address });
  const first = await startWorkerProcess(env, taskQueue);
  const ingest = spawnCli(['ingest', '-c', configFor(service), '--task-queue', taskQueue, '--json'], env);
  const deadline = Date.now() + 60_000;
  const processed = () => writesOf(service).map((w) => w.status[0].progress.dashboards.processed);
  while (!processed().some((n) => n > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  first.kill('SIGKILL');
  await first.output;
  const second = await startWorkerProcess(env, taskQueue);
  try {
    const result = await ingest.output;
    assert.equal(result.code, 0, result.stderr);
  } finally {
    second.kill('SIGTERM');
    await second.output;
  }
  const writes = writesOf(service);
  assert.equal(new Set(writes.map((w) => w.runId)).size, 1, 'one OpenMetadata run across the crash');
  assert.ok(processed().some((n) => n > 0 && n < 1200), 'a running update before the kill');
  assert.equal(writes.at(-1)!.pipelineState, 'success');
  assert.equal(writes.at(-1)!.status[0].progress.dashboards.total, 1200);
});
