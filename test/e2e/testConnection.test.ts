import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli } from '../support/cli';
import { postgresConnection, serviceEnv } from '../support/databases';
import { HEX_TOKEN, startWorld, type World } from '../support/world';

let world: World;

before(async () => {
  world = await startWorld({ projects: makeWorkspace(5, 9), serviceName: 'hex_check' });
  world.openMetadata.addDatabaseService('pg_check', 'Postgres', postgresConnection(serviceEnv('PG')));
});

after(async () => {
  await world?.close();
});

function testConnection(mutate?: (doc: any) => void) {
  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['pg_check', 'nowhere_wh'] };
    mutate?.(doc);
  }, `check-${Math.random().toString(36).slice(2)}.yaml`);
  return runCli(['test-connection', '-c', configPath], cliEnv(world.secretsEnv));
}

test('test-connection prints one line a check and names each failing one with its reason', async () => {
  const result = await testConnection();
  assert.equal(result.code, 2, result.stdout + result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(0, l.indexOf(':'))), [
    'ok    Hex token', 'ok    Hex token type', 'ok    OpenMetadata server', 'ok    OpenMetadata JWT',
    'ok    OpenMetadata write access', 'ok    warehouse pg_check', 'FAIL  warehouse nowhere_wh',
  ]);
  assert.match(lines[2], /version 1\.12\.6/);
  assert.match(lines[5], /postgres query history readable \(connection from openmetadata/);
  assert.match(lines[6], /no such database service in OpenMetadata/);
  assert.ok(!result.stdout.includes(HEX_TOKEN));
});

test('a token of the other type and a rejected JWT are reported, and nothing is written with a bad JWT', async () => {
  const writesBefore = world.openMetadata.writeCount();
  const result = await testConnection((doc) => {
    doc.source.serviceConnection.config.tokenType = 'personal';
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: [] };
    doc.workflowConfig.openMetadataServerConfig.securityConfig.jwtToken = 'not-the-bot-token';
  });
  assert.equal(result.code, 2);
  assert.match(result.stdout, /FAIL  Hex token type: tokenType is personal but Hex answers as for a workspace token/);
  assert.match(result.stdout, /FAIL  OpenMetadata JWT: OpenMetadata answered 401/);
  assert.ok(!/write access/.test(result.stdout), 'no write check without an accepted JWT');
  assert.equal(world.openMetadata.writeCount(), writesBefore);
  assert.ok(!result.stdout.includes('not-the-bot-token'));
});

test('all checks passing exits 0', async () => {
  const result = await testConnection((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['pg_check'] };
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
