import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli } from '../support/cli';
import { startInProcessWorker, type InProcessWorker } from '../support/inProcessWorker';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

const TASK_QUEUE = 'e2e-config-reads';
let world: World;
let worker: InProcessWorker;
let address: string;

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects: makeWorkspace(20, 3), serviceName: 'hex_config_reads' });
  // The worker runs in this process, so every line the CLI writes is the client's own.
  worker = await startInProcessWorker(TASK_QUEUE, world.secretsEnv);
});

after(async () => {
  await worker?.stop();
  await world?.close();
  await stopSuiteTemporal();
});

function configReads(stderr: string): string[] {
  return stderr.split('\n').filter((line) => / DEBUG +configuration read\b/.test(line));
}

test('hexmeta ingest reads and validates the workflow file once in the client', async () => {
  const configPath = world.writeConfig();
  // The client holds no secrets (a remote worker does): only the hosts its references name.
  const env = cliEnv({ TEMPORAL_ADDRESS: address, HEX_HOST: world.secretsEnv.HEX_HOST, OM_HOST: world.secretsEnv.OM_HOST });
  const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--log-level', 'DEBUG', '--json'], env);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).phase, 'done');
  const reads = configReads(result.stderr);
  assert.equal(reads.length, 1, `configuration reads in the client:\n${reads.join('\n')}`);
  assert.ok(reads[0].includes(configPath), reads[0]);
});

test('a file that fails validation is read once and refused before any run starts', async () => {
  const configPath = world.writeConfig((doc) => { delete doc.source.serviceName; });
  const env = cliEnv({ TEMPORAL_ADDRESS: address, HEX_HOST: world.secretsEnv.HEX_HOST, OM_HOST: world.secretsEnv.OM_HOST });
  const result = await runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE, '--log-level', 'DEBUG'], env);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /serviceName/);
  assert.equal(configReads(result.stderr).length, 1);
});
