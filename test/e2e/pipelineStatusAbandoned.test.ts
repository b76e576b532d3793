import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { runIngestion, startIngestion } from '../../client/index';
import { closedStateOf } from '../../activities/pipelineStatus/abandonedRuns';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { OM_JWT, startWorld, type World } from '../support/world';

/*
 * A run terminated from Temporal runs no more workflow code, so its OpenMetadata run stays `running`; the next
 * run of the pipeline closes it `stopped`, endDate the termination, by the Temporal ids its status recorded.
 * Runs of another namespace, or whose Temporal run this server does not know, are left as they are.
 */

const TASK_QUEUE = `e2e-abandoned-runs-${process.pid}`;
const SERVICE = 'hex_abandoned';
const PIPELINE = `${SERVICE}.hex_metadata`;
const projects = Array.from({ length: 1000 }, (_, i) => makeProject({ title: `Report ${i}` }));

let world: World;
let worker: InProcessWorker;

before(async () => {
  // Slow pages: the first run is still listing when it is terminated.
  world = await startWorld({ projects, serviceName: SERVICE, hex: { latencyMs: 300 } });
  worker = await startInProcessWorker(TASK_QUEUE, { ...world.secretsEnv, HEXMETA_PIPELINE_STATUS_INTERVAL_MS: '0' });
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

const config = () => world.writeConfig((doc) => {
  doc.ingestionPipelineFQN = PIPELINE;
  doc.hexmeta = { hexRequestsPerMinute: 6000 };
});
const statusOf = (runId: string) => world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === PIPELINE && w.status.runId === runId).at(-1)?.status;

/** A status another orchestrator run (or another Temporal server) left `running`. */
async function putForeignRun(runId: string, metadata: Record<string, string>): Promise<void> {
  const response = await fetch(`${world.openMetadata.url}/v1/services/ingestionPipelines/${PIPELINE}/pipelineStatus`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${OM_JWT}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ runId, pipelineState: 'running', startDate: Date.now() - 60_000, timestamp: Date.now() - 60_000, status: [], metadata }),
  });
  assert.equal(response.status, 200, await response.text());
}

test('the Temporal states map to OpenMetadata end states; running and continued runs stay open', () => {
  assert.equal(closedStateOf('TERMINATED', undefined), 'stopped');
  assert.equal(closedStateOf('CANCELLED', undefined), 'stopped');
  assert.equal(closedStateOf('FAILED', undefined), 'failed');
  assert.equal(closedStateOf('TIMED_OUT', undefined), 'failed');
  assert.equal(closedStateOf('COMPLETED', 'partialSuccess'), 'partialSuccess');
  assert.equal(closedStateOf('RUNNING', undefined), null);
  assert.equal(closedStateOf('CONTINUED_AS_NEW', undefined), null);
});

test('a run terminated from Temporal is closed `stopped` by the next run of the pipeline', async () => {
  const started = await startIngestion({ client: worker.client, source: config(), taskQueue: TASK_QUEUE, env: world.secretsEnv });
  const first = worker.client.workflow.getHandle(started.workflowId);
  const firstRunId = (await first.describe()).runId;
  const deadline = Date.now() + 60_000;
  const running = () => world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === PIPELINE && w.status.pipelineState === 'running');
  while (running().length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const omRunId = running()[0].status.runId as string;
  await first.terminate('stopped by an operator');
  const terminated = await first.describe();
  assert.equal(terminated.status.name, 'TERMINATED');
  assert.equal(statusOf(omRunId)!.pipelineState, 'running', 'nothing of the workflow ran to report the terminate');

  // Earlier runs that are not this server's to judge.
  const otherNamespace = randomUUID();
  await putForeignRun(otherNamespace, { orchestrator: 'Temporal', temporalNamespace: 'production', temporalWorkflowId: first.workflowId, temporalRunId: firstRunId });
  const unknownRun = randomUUID();
  await putForeignRun(unknownRun, { orchestrator: 'Temporal', temporalNamespace: 'default', temporalWorkflowId: 'hexmeta-ingestion-elsewhere', temporalRunId: randomUUID() });
  const notHexmeta = randomUUID();
  await putForeignRun(notHexmeta, { airflowDagRun: 'manual__2026' });

  world.hex.setProjects(projects.slice(0, 20));
  const summary = await runIngestion({ client: worker.client, source: config(), taskQueue: TASK_QUEUE, env: world.secretsEnv });
  assert.equal(summary.outcome?.state, 'success');

  const closed = statusOf(omRunId)!;
  assert.equal(closed.pipelineState, 'stopped');
  assert.equal(closed.endDate, terminated.closeTime!.getTime(), 'endDate is when Temporal closed the run');
  assert.equal(closed.metadata.temporalRunId, firstRunId);
  assert.match(closed.metadata.reason, /terminated/);
  assert.ok(closed.status.length === 2 && closed.startDate < closed.endDate, 'the counts it had reported are kept');
  for (const runId of [otherNamespace, unknownRun, notHexmeta]) assert.equal(statusOf(runId)!.pipelineState, 'running', runId);
  // The closing write comes before the new run's own `running`.
  const writes = world.openMetadata.pipelineStatusWrites().filter((w) => w.pipeline === PIPELINE);
  const closing = writes.findIndex((w) => w.status.runId === omRunId && w.status.pipelineState === 'stopped');
  const secondRunning = writes.findIndex((w) => ![omRunId, otherNamespace, unknownRun, notHexmeta].includes(w.status.runId as string));
  assert.ok(closing >= 0 && closing < secondRunning, `closing write ${closing}, second run's first ${secondRunning}`);
});
