import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * A careless or hostile workflow file: a filter pattern that backtracks forever on one title, a 33 MB file,
 * credentials in a hostPort. None may hang the worker or write anything it should not.
 */

const SERVICE = 'hex_hostile_config';
const TASK_QUEUE = `e2e-hostile-config-${Date.now()}`;
const hostile = makeProject({ title: `${'a'.repeat(60)}!` });
const kept = makeProject({ title: 'Sales overview' });
const excluded = makeProject({ title: 'aaa scratch' });

let world: World;
let worker: ChildProcess & { output: Promise<CliResult> };
let env: NodeJS.ProcessEnv;

before(async () => {
  const { address } = await suiteTemporal();
  world = await startWorld({ projects: [hostile, kept, excluded], serviceName: SERVICE });
  env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
  worker = await startWorkerProcess(env, TASK_QUEUE);
});

after(async () => {
  worker?.kill('SIGTERM');
  await worker?.output;
  await world?.close();
  await stopSuiteTemporal();
});

function ingest(configPath: string): Promise<CliResult> {
  return runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--json'], env);
}

test('a filter pattern that backtracks forever on a title costs one bounded match; what it cannot decide is a failure, never kept or deleted, and the run ends', async (t) => {
  // A first run without the pattern gives every project its dashboard.
  const first = await ingest(world.writeConfig(undefined, 'plain.yaml'));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(world.openMetadata.dashboards().length, 3);

  const started = Date.now();
  const second = await ingest(world.writeConfig((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: ['(?=a)(a|a)*$', '^aaa scratch'] };
    doc.source.sourceConfig.config.markDeletedDashboards = true;
  }, 'hostile.yaml'));
  const seconds = (Date.now() - started) / 1000;
  assert.equal(second.code, 1, `${second.stdout}\n${second.stderr}`);
  const summary = JSON.parse(second.stdout);
  assert.equal(summary.phase, 'done');
  // The title the pattern backtracks on is stopped after 50 ms; the pattern is then disabled on the worker, so
  // a title it has to decide later (Hex's order) is undecided too. An exclude that matches still wins.
  const reasonOf = (id: string) => summary.failures.find((f: any) => f.item.startsWith(id))?.reason ?? '';
  assert.ok(summary.failures.some((f: any) => f.item === `${hostile.id} (${hostile.title})`), JSON.stringify(summary.failures));
  assert.match(reasonOf(hostile.id), /filter pattern "\(\?=a\)\(a\|a\)\*\$" could not decide for this title \(it was stopped after 50 ms on this title\)/);
  const others = summary.failures.filter((f: any) => !f.item.startsWith(hostile.id));
  for (const failure of others) {
    assert.ok(failure.item.startsWith(kept.id), JSON.stringify(failure));
    assert.match(failure.reason, /\(it was stopped after 50 ms on a title and is disabled on this worker\)/);
  }
  assert.equal(summary.failuresTotal, 1 + others.length);
  // Undecided is neither kept nor filtered out: those dashboards are not marked deleted; the excluded one is.
  const live = world.openMetadata.dashboards().filter((d: any) => !d.deleted).map((d: any) => d.name).sort();
  assert.deepEqual(live, [hostile.id, kept.id].sort());
  assert.ok(seconds < 60, `${seconds} s`);
  t.diagnostic(`run with the hostile pattern: ${seconds.toFixed(1)} s`);
});

test('a 33 MB workflow file exits 2 before any request, with a clear message', async () => {
  const before = { hex: world.hex.requests.length, om: world.openMetadata.requests.length };
  const path = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: Array.from({ length: 1_100_000 }, (_, i) => `^scratch ${i}$`) };
  }, 'huge.yaml');
  const result = await ingest(path);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /the file has [\d,]+ characters; at most 1,048,576 are read/);
  assert.equal(world.hex.requests.length, before.hex);
  assert.equal(world.openMetadata.requests.length, before.om);
});

test('a 400 KB workflow file exits 2 too, naming where its bulk is', async () => {
  const before = world.openMetadata.requests.length;
  const path = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = { excludes: Array.from({ length: 16_000 }, (_, i) => `^scratch number ${i}$`) };
  }, 'large.yaml');
  const result = await ingest(path);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /source\.sourceConfig\.config\.dashboardFilterPattern\.excludes: the configuration is \d{3} KB as JSON, most of it here; at most 256 KB is accepted/);
  assert.equal(world.openMetadata.requests.length, before);
});

test('credentials in a hostPort exit 2 naming the field, without echoing the password', async () => {
  const before = { hex: world.hex.requests.length, om: world.openMetadata.requests.length };
  const path = world.writeConfig(undefined, 'creds.yaml');
  const withCredentials = { ...env, HEX_HOST: world.hex.url.replace('http://', 'http://me:s3cret-in-url@') };
  const result = await runCli(['ingest', '-c', path, '--task-queue', TASK_QUEUE], withCredentials);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /source\.serviceConnection\.config\.hostPort: must not contain credentials/);
  assert.ok(!result.stderr.includes('s3cret-in-url'));
  assert.equal(world.hex.requests.length, before.hex);
  assert.equal(world.openMetadata.requests.length, before.om);
});
