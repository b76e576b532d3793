import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ConfigError, createSchedule, deleteSchedule, describeSchedule, getProgress, listRuns, listSchedules, pauseSchedule, runIngestion,
  ScheduleError, startIngestion, unpauseSchedule, type IngestionSummary,
} from '../../client/index';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal } from '../support/temporal';
import { baseWorkflowFile, HEX_TOKEN, startWorld, type World } from '../support/world';

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

const TASK_QUEUE = 'e2e-api';
const projects = visible(makeWorkspace(900, 31)).slice(0, 700);
let world: World;
let worker: InProcessWorker;
/** The caller needs the non-secret references only; the secrets are the worker's. */
let callerEnv: NodeJS.ProcessEnv;

before(async () => {
  // Slow enough that the listing (7 pages) outlasts the first batch of pages (10 s), so progress is seen mid-run.
  world = await startWorld({ projects, serviceName: 'hex_api', hex: { latencyMs: 2000 } });
  callerEnv = { HEX_HOST: world.secretsEnv.HEX_HOST, OM_HOST: world.secretsEnv.OM_HOST };
  worker = await startInProcessWorker(TASK_QUEUE, world.secretsEnv);
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

test('startIngestion runs through an in-process worker and getProgress shows the run while it goes on', async () => {
  const handle = await startIngestion({ client: worker.client, source: world.writeConfig(), taskQueue: TASK_QUEUE, env: callerEnv });
  assert.equal(handle.workflowId, 'hexmeta-ingestion-hex_api');
  assert.equal(handle.serviceName, 'hex_api');

  let midRun: IngestionSummary | null = null;
  const deadline = Date.now() + 120_000;
  while (!midRun && Date.now() < deadline) {
    const progress = await getProgress({ client: worker.client, serviceName: 'hex_api' });
    const running = (await worker.client.workflow.getHandle(handle.workflowId).describe()).status.name === 'RUNNING';
    if (running && progress.phase === 'dashboards' && progress.pagesRead >= 1) midRun = progress;
    else await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(midRun, 'progress was seen while the listing ran');
  assert.equal(midRun.serviceName, 'hex_api');
  assert.ok(midRun.projectsSeen < projects.length, `mid-run progress counts ${midRun.projectsSeen} projects`);

  // `listRuns` reports the run with its progress.
  const runs = await listRuns({ client: worker.client, serviceName: 'hex_api' });
  assert.equal(runs.length, 1);
  assert.equal(runs[0].workflowId, 'hexmeta-ingestion-hex_api');
  assert.equal(runs[0].summary?.serviceName, 'hex_api', 'the query (running) or the result (just completed) is shown');

  const summary = await handle.result();
  assert.equal(summary.phase, 'done');
  assert.equal(summary.dashboardsCreated, projects.length);
  assert.equal(world.openMetadata.dashboards().length, projects.length);

  // Once completed, getProgress gives the final summary (no query needed).
  assert.deepEqual(await getProgress({ client: worker.client, serviceName: 'hex_api' }), summary);
});

test('runIngestion waits for the result; a run of a service already running attaches instead of starting another', async () => {
  const source = world.writeConfig();
  const [first, second] = await Promise.all([
    startIngestion({ client: worker.client, source, taskQueue: TASK_QUEUE, env: callerEnv }),
    startIngestion({ client: worker.client, source: { configPath: source }, taskQueue: TASK_QUEUE, env: callerEnv }),
  ]);
  const [a, b] = await Promise.all([first.result(), second.result()]);
  assert.deepEqual(a, b, 'both handles follow the same run');
  assert.equal(a.dashboardsUnchanged, projects.length);

  const again = await runIngestion({ client: worker.client, source, taskQueue: TASK_QUEUE, env: callerEnv });
  assert.equal(again.phase, 'done');
  assert.equal(again.dashboardsCreated, 0);
  assert.equal(again.dashboardsUnchanged, projects.length);

  const runs = await waitForRuns('hex_api', 3);
  assert.ok(runs.every((r) => r.status === 'COMPLETED' && r.summary?.phase === 'done'));
  // Newest first.
  assert.deepEqual(runs.map((r) => r.startedAt), runs.map((r) => r.startedAt).sort().reverse());
});

async function waitForRuns(serviceName: string, count: number) {
  // Visibility is eventually consistent: a run closed a moment ago may not be listed yet.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const runs = await listRuns({ client: worker.client, serviceName });
    if (runs.length >= count && runs.every((r) => r.status !== 'RUNNING') || Date.now() > deadline) return runs;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('an invalid configuration or a literal secret in an inline configuration fails before anything starts', async () => {
  const broken = baseWorkflowFile('hex_api_broken');
  broken.source.serviceConnection.config.tokenType = 'team';
  await assert.rejects(
    startIngestion({ client: worker.client, source: { config: broken }, taskQueue: TASK_QUEUE, env: callerEnv }),
    (error: unknown) => error instanceof ConfigError && /tokenType: must be personal or workspace/.test(error.message),
  );
  const literal = baseWorkflowFile('hex_api_literal');
  literal.source.serviceConnection.config.token = HEX_TOKEN;
  await assert.rejects(
    startIngestion({ client: worker.client, source: { config: literal }, taskQueue: TASK_QUEUE, env: callerEnv }),
    (error: unknown) => error instanceof ConfigError && /source\.serviceConnection\.config\.token/.test(error.message)
      && !error.message.includes(HEX_TOKEN),
  );
  await assert.rejects(getProgress({ client: worker.client, serviceName: 'hex_api_broken' }), /no ingestion of service hex_api_broken/);
});

test('the schedule functions take one options object: create, describe, pause, unpause, list, delete', async () => {
  const client = worker.client;
  const serviceName = 'hex_api_schedule';
  const source = { configPath: world.writeConfig((doc) => { doc.source.serviceName = serviceName; }, 'schedule.yaml') };
  const created = await createSchedule({ client, source, cron: '0 3 * * *', paused: true, taskQueue: TASK_QUEUE, env: callerEnv });
  try {
    assert.equal(created.scheduleId, `hexmeta-schedule-${serviceName}`);
    await unpauseSchedule({ client, serviceName, note: 'go' });
    assert.deepEqual([(await describeSchedule({ client, serviceName })).paused, (await describeSchedule({ client, serviceName })).note], [false, 'go']);
    await pauseSchedule({ client, serviceName });
    assert.deepEqual(await describeSchedule({ client, serviceName }).then((d) => [d.paused, d.note]), [true, 'paused with hexmeta']);
    const deadline = Date.now() + 30_000;
    while (!(await listSchedules({ client })).some((s) => s.serviceName === serviceName) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok((await listSchedules({ client })).some((s) => s.serviceName === serviceName && s.paused));
  } finally {
    await deleteSchedule({ client, serviceName });
  }
  await assert.rejects(describeSchedule({ client, serviceName }), ScheduleError);
  await assert.rejects(deleteSchedule({ client, serviceName }), ScheduleError);
});
