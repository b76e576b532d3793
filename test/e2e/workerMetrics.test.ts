import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { freePort, stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * A long-lived `hexmeta worker` (process level INFO) serving two ingestions: one file asks for DEBUG, the other
 * says INFO. Its Prometheus endpoint is scraped after both.
 */

let address: string;
const worlds: World[] = [];

before(async () => {
  ({ address } = await suiteTemporal());
});

after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
  await stopSuiteTemporal();
});

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

/** Samples of a Prometheus text exposition: metric name -> summed value over its label sets. */
function samples(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match) sums.set(match[1], (sums.get(match[1]) ?? 0) + Number(match[3]));
  }
  return sums;
}

test('hexmeta worker --metrics-address serves Temporal worker metrics; a DEBUG file gets its API calls logged', async () => {
  const port = await freePort();
  const debugWorld = await startWorld({ projects: visible(makeWorkspace(120, 41)), serviceName: 'hex_metrics_debug' });
  const infoWorld = await startWorld({ projects: visible(makeWorkspace(120, 43)), serviceName: 'hex_metrics_info' });
  worlds.push(debugWorld, infoWorld);
  const taskQueue = 'e2e-worker-metrics';
  const workerEnv = cliEnv({ ...debugWorld.secretsEnv, TEMPORAL_ADDRESS: address, HEXMETA_LOG_FORMAT: 'json' });
  // Both files name their hosts and secrets by variable: the worker needs each world's under distinct names.
  Object.assign(workerEnv, { HEX_HOST_2: infoWorld.hex.url, OM_HOST_2: infoWorld.openMetadata.url });
  const worker = await startWorkerProcess(workerEnv, taskQueue, ['--metrics-address', `127.0.0.1:${port}`]);
  let debugRun: CliResult;
  let infoRun: CliResult;
  let scrape: string;
  try {
    const debugConfig = debugWorld.writeConfig((doc) => { doc.workflowConfig.loggerLevel = 'DEBUG'; });
    const infoConfig = infoWorld.writeConfig((doc) => {
      doc.source.serviceConnection.config.hostPort = '${HEX_HOST_2}';
      doc.workflowConfig.openMetadataServerConfig.hostPort = '${OM_HOST_2}';
    });
    // The client checks the non-secret references; the secrets stay with the worker.
    const clientEnv = cliEnv({
      TEMPORAL_ADDRESS: address, HEX_HOST: debugWorld.hex.url, OM_HOST: debugWorld.openMetadata.url,
      HEX_HOST_2: infoWorld.hex.url, OM_HOST_2: infoWorld.openMetadata.url,
    });
    debugRun = await runCli(['ingest', '-c', debugConfig, '--task-queue', taskQueue, '--json'], clientEnv);
    infoRun = await runCli(['ingest', '-c', infoConfig, '--task-queue', taskQueue, '--json'], clientEnv);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 200);
    scrape = await response.text();
  } finally {
    worker.kill('SIGTERM');
  }
  const workerOutput = await worker.output;
  assert.equal(debugRun.code, 0, debugRun.stderr);
  assert.equal(infoRun.code, 0, infoRun.stderr);

  const metrics = samples(scrape);
  for (const name of [
    'temporal_activity_execution_latency_count',
    'temporal_activity_schedule_to_start_latency_count',
    'temporal_workflow_task_execution_latency_count',
    'temporal_workflow_completed',
    'temporal_worker_task_slots_available',
  ]) {
    assert.ok((metrics.get(name) ?? 0) > 0, `${name} in ${[...metrics.keys()].filter((k) => k.startsWith('temporal_')).join(', ')}`);
  }
  // Three activities a run at least (prepare, a page, mark deleted), two runs.
  assert.ok(metrics.get('temporal_activity_execution_latency_count')! >= 6);
  assert.equal(metrics.get('temporal_workflow_completed'), 2);

  const lines = workerOutput.stderr.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const calls = lines.filter((l) => l.msg === 'api call');
  const debugCalls = calls.filter((l) => l.ingestion === 'hex_metrics_debug');
  assert.equal(debugCalls.filter((l) => l.service === 'Hex').length, debugWorld.hex.requests.length);
  assert.equal(debugCalls.filter((l) => l.service === 'OpenMetadata').length, debugWorld.openMetadata.requests.length);
  assert.deepEqual(calls.filter((l) => l.ingestion !== 'hex_metrics_debug'), [], 'no API-call lines for the INFO file');
  assert.deepEqual(lines.filter((l) => l.level === 'DEBUG' && l.ingestion !== 'hex_metrics_debug'), [], 'the process stays at INFO');
  assert.ok(lines.some((l) => l.msg === 'page ingested' && l.ingestion === 'hex_metrics_info'));
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!workerOutput.stderr.includes(secret) && !workerOutput.stdout.includes(secret));
});
