import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { describeSchedule } from '../../client/schedules';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { cliEnv, runCli, spawnCli, startWorkerProcess, type CliResult } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

const TASK_QUEUE = 'e2e-schedules';
const SERVICE = 'hex_sched';
const projects = visible(makeWorkspace(260, 41));
let world: World;
let address: string;
let env: NodeJS.ProcessEnv;
let worker: ChildProcess & { output: Promise<CliResult> };
let temporal: Awaited<ReturnType<typeof temporalClient>>;

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects, serviceName: SERVICE });
  env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address, HEXMETA_TASK_QUEUE: TASK_QUEUE });
  worker = await startWorkerProcess(env, TASK_QUEUE);
  temporal = await temporalClient(address);
});

after(async () => {
  await runCli(['schedule', 'delete', SERVICE], env).catch(() => undefined);
  worker?.kill('SIGTERM');
  await worker?.output;
  await temporal?.close();
  await world?.close();
  await stopSuiteTemporal();
});

async function cliJson(args: string[]): Promise<any> {
  const result = await runCli([...args, '--json'], env);
  assert.equal(result.code, 0, `hexmeta ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The scheduled workflows started so far, oldest first. */
async function scheduledRuns(): Promise<string[]> {
  return (await describeSchedule({ client: temporal.client, serviceName: SERVICE })).recentRuns.map((r) => r.workflowId);
}

test('schedule create refuses wrong timing before contacting anything, and every command needs TEMPORAL_ADDRESS', async () => {
  const configPath = world.writeConfig();
  const both = await runCli(['schedule', 'create', '-c', configPath, '--cron', '0 3 * * *', '--every', '1h'], env);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /exactly one of --cron EXPR and --every INTERVAL/);
  const badEvery = await runCli(['schedule', 'create', '-c', configPath, '--every', 'hourly'], env);
  assert.equal(badEvery.code, 2);
  assert.match(badEvery.stderr, /not an interval such as 30m/);
  const badZone = await runCli(['schedule', 'create', '-c', configPath, '--cron', '0 3 * * *', '--timezone', 'Mars/Olympus'], env);
  assert.equal(badZone.code, 2);
  assert.match(badZone.stderr, /not an IANA time zone/);
  const noServer = await runCli(['status'], cliEnv({}));
  assert.equal(noServer.code, 2);
  assert.match(noServer.stderr, /TEMPORAL_ADDRESS is not set/);
});

test('create, describe, list, pause and unpause a schedule; its input holds no secret', async () => {
  const configPath = world.writeConfig();
  const created = await cliJson(['schedule', 'create', '-c', configPath, '--cron', '0 3 * * *', '--timezone', 'Europe/Paris']);
  assert.equal(created.scheduleId, `hexmeta-schedule-${SERVICE}`);
  assert.deepEqual(created.cron, ['0 3 * * *']);
  assert.equal(created.timezone, 'Europe/Paris');
  assert.equal(created.overlap, 'SKIP');
  assert.equal(created.catchupWindowMs, 3_600_000);
  assert.equal(created.paused, false);
  assert.equal(created.taskQueue, TASK_QUEUE);
  assert.deepEqual(created.source, { configPath });
  assert.ok(created.nextRuns.length > 0);

  const again = await runCli(['schedule', 'create', '-c', configPath, '--every', '1h'], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);

  const raw = JSON.stringify(await temporal.client.schedule.getHandle(created.scheduleId).describe());
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!raw.includes(secret), 'secret in the schedule');

  // Listing is eventually consistent.
  const listed = await eventually('schedule list', () => cliJson(['schedule', 'list']), (list) => list.some((s: any) => s.serviceName === SERVICE));
  assert.equal(listed.find((s: any) => s.serviceName === SERVICE).paused, false);

  const paused = await runCli(['schedule', 'pause', SERVICE, '--note', 'maintenance'], env);
  assert.equal(paused.code, 0, paused.stderr);
  let described = await cliJson(['schedule', 'describe', '-c', configPath]);
  assert.equal(described.paused, true);
  assert.equal(described.note, 'maintenance');

  const unpaused = await runCli(['schedule', 'unpause', SERVICE], env);
  assert.equal(unpaused.code, 0, unpaused.stderr);
  described = await cliJson(['schedule', 'describe', SERVICE]);
  assert.equal(described.paused, false);

  const text = await runCli(['schedule', 'describe', SERVICE], env);
  assert.match(text.stdout, /cron "0 3 \* \* \*" \(Europe\/Paris\)/);
  assert.match(text.stdout, /Overlap:\s+SKIP; catch-up window 1h/);
});

test('trigger: the scheduled run ingests under the service\'s fixed id and OpenMetadata holds the dashboards', async () => {
  const triggered = await runCli(['schedule', 'trigger', SERVICE, '--json'], env);
  assert.equal(triggered.code, 0, triggered.stderr);
  assert.deepEqual(JSON.parse(triggered.stdout), { action: 'trigger', scheduleId: `hexmeta-schedule-${SERVICE}`, serviceName: SERVICE });
  const [scheduledId] = await eventually('a scheduled run', scheduledRuns, (ids) => ids.length === 1);
  assert.match(scheduledId, new RegExp(`^hexmeta-scheduled-${SERVICE}`));
  const outcome = await temporal.client.workflow.getHandle(scheduledId).result();
  assert.equal(outcome.outcome, 'completed');
  assert.equal(outcome.ingestionWorkflowId, `hexmeta-ingestion-${SERVICE}`);
  assert.equal(outcome.summary.dashboardsCreated, projects.length);
  assert.equal(world.openMetadata.dashboards().length, projects.length);

  const runs = await eventually('status', () => cliJson(['status', '--service', SERVICE]), (list) => list.length === 1 && list[0].status === 'COMPLETED');
  assert.equal(runs[0].workflowId, `hexmeta-ingestion-${SERVICE}`);
  assert.equal(runs[0].startedBy, scheduledId);
  assert.equal(runs[0].summary.dashboardsCreated, projects.length);
});

test('a trigger while `hexmeta ingest` runs the same service reports that run instead of starting a second one', async () => {
  // Hex holds two listing requests long enough that the CLI's run is surely still going when the trigger comes.
  world.hex.injectFault({ path: /\/projects$/, delayMs: 15_000, times: 2 });
  const ingest = spawnCli(['ingest', '-c', world.writeConfig(), '--task-queue', TASK_QUEUE, '--json'], env);
  const ingestionId = `hexmeta-ingestion-${SERVICE}`;
  // Wait until the CLI's run (not the earlier scheduled one) is the one running.
  await eventually('the CLI ingestion running', async () => {
    try {
      const d = await temporal.client.workflow.getHandle(ingestionId).describe();
      return d.status.name === 'RUNNING' && !d.parentExecution;
    } catch {
      return false;
    }
  }, (running) => running);

  const before = await scheduledRuns();
  const triggered = await runCli(['schedule', 'trigger', SERVICE], env);
  assert.equal(triggered.code, 0, triggered.stderr);
  const after = await eventually('the second scheduled run', scheduledRuns, (ids) => ids.length === before.length + 1);
  const outcome = await temporal.client.workflow.getHandle(after[after.length - 1]).result();
  const previous = await temporal.client.workflow.getHandle(before[before.length - 1]).result();
  // Nothing started; the history marks of the schedule's last completed run are handed on to the next one.
  assert.deepEqual(outcome, { outcome: 'alreadyRunning', ingestionWorkflowId: ingestionId, historyReadUntil: previous.summary.historyReadUntil });

  const status = await cliJson(['status', '--service', SERVICE]);
  const running = status.find((r: any) => r.status === 'RUNNING');
  assert.ok(running, 'status lists the running ingestion');
  assert.equal(running.startedBy, null);
  assert.ok(['preparing', 'dashboards'].includes(running.summary.phase), running.summary.phase);
  const text = await runCli(['status'], env);
  assert.match(text.stdout, new RegExp(`${SERVICE}\\s+RUNNING`));

  const result = await ingest.output;
  assert.equal(result.code, 0, result.stderr);
  const executions = [];
  for await (const info of temporal.client.workflow.list({ query: `WorkflowId = '${ingestionId}'` })) executions.push(info);
  // The scheduled run of the previous test and the CLI's: the trigger added none.
  assert.equal(executions.length, 2, JSON.stringify(executions.map((e) => [e.runId, e.status.name])));
  assert.equal(new Set(world.openMetadata.dashboards().map((d: any) => d.name)).size, projects.length);
});

test('delete removes the schedule; commands on a missing schedule say so', async () => {
  const deleted = await runCli(['schedule', 'delete', SERVICE, '--json'], env);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(JSON.parse(deleted.stdout), { action: 'delete', scheduleId: `hexmeta-schedule-${SERVICE}`, serviceName: SERVICE });
  const described = await runCli(['schedule', 'describe', SERVICE], env);
  assert.equal(described.code, 1);
  assert.match(described.stderr, new RegExp(`no schedule hexmeta-schedule-${SERVICE}`));
  const paused = await runCli(['schedule', 'pause', SERVICE], env);
  assert.equal(paused.code, 1);
  await eventually('schedule list', () => cliJson(['schedule', 'list']), (list) => !list.some((s: any) => s.serviceName === SERVICE));
});
