import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli } from '../support/cli';
import { freePort, temporalClient } from '../support/temporal';
import { useWorkerWorld } from '../support/workerWorld';
import { HEX_TOKEN, OM_JWT, type World } from '../support/world';

const TASK_QUEUE = 'e2e-setup';
const fixture = useWorkerWorld({ projects: makeWorkspace(30, 3), serviceName: 'hex_e2e_setup', taskQueue: TASK_QUEUE });

function ingest(env: Record<string, string>, mutate?: (doc: any) => void) {
  const configPath = fixture.world.writeConfig(mutate, `hex-${Math.random().toString(36).slice(2)}.yaml`);
  return runCli(['ingest', '-c', configPath, '--task-queue', TASK_QUEUE], cliEnv({ ...env, TEMPORAL_ADDRESS: fixture.address }));
}

function writesTo(served: World): number {
  return served.openMetadata.requests.filter((r) => r.method !== 'GET').length;
}

test('a bad configuration exits 2 naming each problem, before any request', async () => {
  const result = await ingest(fixture.world.secretsEnv, (doc) => {
    doc.source.serviceConnection.config.tokenType = 'team';
    doc.source.sourceConfig.config.dashboardFilterPattern = { includes: ['[unclosed'] };
  });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /source\.serviceConnection\.config\.tokenType: must be personal or workspace/);
  assert.match(result.stderr, /source\.sourceConfig\.config\.dashboardFilterPattern\.includes\[0\]: invalid regular expression/);
  assert.equal(fixture.world.openMetadata.requests.length, 0);
  assert.equal(fixture.world.hex.requests.length, 0);
});

test('a wrong Hex token fails fast with exit 2, one attempt, and names the credential', async () => {
  const before = fixture.world.hex.requests.length;
  // The worker resolves the configuration, so the wrong value is written into the file itself.
  const result = await ingest(fixture.world.secretsEnv, (doc) => { doc.source.serviceConnection.config.token = 'hxtw_' + 'ff'.repeat(48); });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Hex rejected the Hex token \(source\.serviceConnection\.config\.token\) with 401/);
  const hexCalls = fixture.world.hex.requests.slice(before);
  assert.equal(hexCalls.length, 1, 'no retries of a rejected token');
  assert.equal(writesTo(fixture.world), 0);
  assert.ok(!result.stderr.includes('ff'.repeat(48)));
  // Nor in the failed run's history (input, failure, retry state), nor in the worker's output so far.
  const { client, close } = await temporalClient(fixture.address);
  try {
    const history = JSON.stringify(await client.workflow.getHandle('hexmeta-ingestion-hex_e2e_setup').fetchHistory());
    assert.match(history, /AuthenticationError/);
    for (const secret of ['ff'.repeat(48), HEX_TOKEN, OM_JWT]) assert.ok(!history.includes(secret), 'secret in the failed run\'s history');
  } finally {
    await close();
  }
});

test('a wrong OpenMetadata JWT fails fast with exit 2 and nothing written', async () => {
  const before = fixture.world.openMetadata.requests.length;
  const badJwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpc0JvdCI6ZmFsc2V9.wrong-signature';
  const result = await ingest(fixture.world.secretsEnv, (doc) => { doc.workflowConfig.openMetadataServerConfig.securityConfig.jwtToken = badJwt; });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /OpenMetadata rejected the JWT \(workflowConfig\.openMetadataServerConfig\.securityConfig\.jwtToken\) with 401/);
  const authFailures = fixture.world.openMetadata.requests.slice(before).filter((r) => r.status === 401);
  assert.equal(authFailures.length, 1, 'no retries of a rejected JWT');
  assert.equal(writesTo(fixture.world), 0);
  assert.ok(!result.stderr.includes(badJwt));
});

test('OpenMetadata down at start: exit 2 with a clear message, nothing written to Hex or OpenMetadata', async () => {
  const port = await freePort();
  const result = await ingest(fixture.world.secretsEnv, (doc) => { doc.workflowConfig.openMetadataServerConfig.hostPort = `http://127.0.0.1:${port}/api`; });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /OpenMetadata unreachable/);
  assert.ok(!result.stderr.includes(HEX_TOKEN) && !result.stderr.includes(OM_JWT));
});
