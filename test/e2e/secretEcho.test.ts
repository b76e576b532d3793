import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { startEchoProxy, type EchoProxy } from '../support/echoProxy';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * Careless servers in front of each client: Hex, OpenMetadata and a Databricks warehouse answer some requests
 * with an error body that echoes the request's Authorization header (and the bare credential). The run's
 * failures and warnings come from those bodies; no secret may reach stdout, logs, the result or the history.
 */

const SERVICE = 'hex_secret_echo';
const DBX_TOKEN = 'dapi' + '5e'.repeat(16);
const SECRETS = { HEX_TOKEN, OM_JWT, DBX_TOKEN };
const cellsVictim = makeProject({ title: 'Cells refused with an echo' });
const dashboardVictim = makeProject({ title: 'Dashboard refused with an echo' });
const tagged = makeProject({ title: 'Tagged with an echoed tag', categories: [{ name: 'EchoTag', description: null }] });
const plain = makeProject({ title: 'Plain project' });

let world: World;
let proxies: EchoProxy[] = [];
let result: CliResult;
let workerOutput: CliResult;
let summary: any;
let history = '';

/**
 * The history as text with every payload decoded, so a secret inside a JSON payload is found as text. Proto
 * messages turn into JSON through their toJSON, which writes bytes (payload data) as base64.
 */
function historyText(value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (key === 'data' && typeof v === 'string') return `${v} ${Buffer.from(v, 'base64').toString('utf8')}`;
    return v;
  });
}

before(async () => {
  const { address } = await suiteTemporal();
  world = await startWorld({ projects: [cellsVictim, dashboardVictim, tagged, plain], serviceName: SERVICE });
  const origin = (url: string) => new URL(url).origin;
  const hex = await startEchoProxy(origin(world.hex.url), ({ path }) => (path.startsWith('/api/v1/cells') && path.includes(cellsVictim.id) ? 400 : null));
  const openMetadata = await startEchoProxy(origin(world.openMetadata.url), ({ method, path, body }) => {
    if (method !== 'PUT') return null;
    if (path.startsWith('/api/v1/tags') && body.includes('EchoTag')) return 400;
    if (path.startsWith('/api/v1/dashboards/bulk')) return 400; // refused as a whole: written one by one
    if (/^\/api\/v1\/dashboards(\?|$)/.test(path) && body.includes(dashboardVictim.id)) return 400;
    return null;
  });
  const databricks = await startEchoProxy(null, () => 403); // a refused token: no retries
  proxies = [hex, openMetadata, databricks];
  world.openMetadata.addDatabaseService('dbx', 'Databricks', { type: 'Databricks', hostPort: 'dbx.example:443', authType: { token: '*********' } });
  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['dbx'] };
    doc.hexmeta = { charts: true, lookbackDays: 1 };
    doc.warehouses = { dbx: { type: 'Databricks', hostPort: 'dbx.example:443', authType: { token: '${DBX_TOKEN}' } } };
    doc.queryHistory = { dbx: { endpoint: databricks.url } };
  });
  const env = cliEnv({
    ...world.secretsEnv, HEX_HOST: hex.url, OM_HOST: `${openMetadata.url}/api`, DBX_TOKEN, TEMPORAL_ADDRESS: address,
    HEXMETA_LOG_LEVEL: 'DEBUG',
  });
  const taskQueue = `e2e-secret-echo-${Date.now()}`;
  const worker = await startWorkerProcess(env, taskQueue);
  try {
    result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
  } finally {
    worker.kill('SIGTERM');
  }
  workerOutput = await worker.output;
  summary = JSON.parse(result.stdout);
  const { client, close } = await temporalClient(address);
  try {
    history = historyText(await client.workflow.getHandle(`hexmeta-ingestion-${SERVICE}`).fetchHistory());
  } finally {
    await close();
  }
});

after(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await world?.close();
  await stopSuiteTemporal();
});

test('each echoing server was hit, and its echo became a failure or warning of the run', () => {
  assert.equal(result.code, 1, `${result.stderr}\n${workerOutput.stderr.slice(-3000)}`);
  for (const proxy of proxies) assert.ok(proxy.echoed > 0, 'an echo was sent');
  const reasonOf = (list: any[], id: string) => list.find((r) => r.item.startsWith(id))?.reason ?? '';
  assert.match(reasonOf(summary.failures, cellsVictim.id), /Hex answered 400 .*authorization=Bearer \*\*\*/);
  assert.match(reasonOf(summary.failures, dashboardVictim.id), /OpenMetadata answered 400 .*authorization=Bearer \*\*\* and credential \*\*\*/);
  assert.match(reasonOf(summary.warnings, tagged.id), /tag "EchoTag" not written: OpenMetadata answered 400 .*Bearer \*\*\*/);
  assert.ok(summary.warnings.some((w: any) => w.item === 'dbx' && /403/.test(w.reason)), JSON.stringify(summary.warnings));
  assert.ok(world.openMetadata.dashboards().some((d: any) => d.name === plain.id), 'the rest of the run went on');
});

test('no secret, nor its first 12 characters, is in stdout, stderr, the worker log, the result or the history', () => {
  const places = { stdout: result.stdout, stderr: result.stderr, worker: workerOutput.stdout + workerOutput.stderr, history };
  assert.ok(history.includes('Bearer ***'), 'the history holds the scrubbed echoes');
  for (const [place, text] of Object.entries(places)) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret.slice(0, 12)), `${name} found in ${place}`);
    }
  }
});
