import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { configureProcessLog, processLog } from '../../activities/common/log';
import { freePort } from '../../client/devServer';
import {
  connectClient, connectNative, ConnectionSettingsError, describeConnection, resolveConnectionSettings, TemporalConnectionError,
} from '../../client/connection';

const dir = mkdtempSync(join(tmpdir(), 'hexmeta-connection-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const PROFILE_KEY = 'profile-key-' + 'a'.repeat(20);
const ENV_KEY = 'env-key-' + 'b'.repeat(20);
const FLAG_KEY = 'flag-key-' + 'c'.repeat(20);
const cert = file('client.crt', '-----BEGIN CERTIFICATE-----\nprofile\n-----END CERTIFICATE-----\n');
const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nprofile\n-----END PRIVATE KEY-----\n');
const otherCert = file('other.crt', 'other cert');
const otherKey = file('other.key', 'other key');
const config = file('temporal.toml', `
[profile.default]
address = "default.example:7233"

[profile.prod]
address = "prod.example:7233"
namespace = "prod-ns"
api_key = "${PROFILE_KEY}"
[profile.prod.tls]
client_cert_path = "${cert}"
client_key_path = "${key}"
server_name = "prod.internal"
`);
// No HOME: the user's own temporal.toml never leaks into these tests.
const base = { TEMPORAL_CONFIG_FILE: config, HOME: dir };

test('the profile file: the default profile, or the one TEMPORAL_PROFILE or --profile names', () => {
  assert.equal(resolveConnectionSettings({}, base).address, 'default.example:7233');
  const prod = resolveConnectionSettings({}, { ...base, TEMPORAL_PROFILE: 'prod' });
  assert.equal(prod.address, 'prod.example:7233');
  assert.equal(prod.namespace, 'prod-ns');
  assert.equal(prod.apiKey, PROFILE_KEY);
  assert.ok(prod.tls);
  assert.equal(prod.tls.serverNameOverride, 'prod.internal');
  assert.equal(Buffer.from(prod.tls.clientCertPair!.crt).toString(), '-----BEGIN CERTIFICATE-----\nprofile\n-----END CERTIFICATE-----\n');
  assert.equal(resolveConnectionSettings({ profile: 'prod' }, base).address, 'prod.example:7233');
  assert.equal(resolveConnectionSettings({ profile: 'prod' }, { ...base, TEMPORAL_PROFILE: 'default' }).namespace, 'prod-ns');
});

test('flags win over the environment, which wins over the profile', () => {
  const env = {
    ...base, TEMPORAL_PROFILE: 'prod', TEMPORAL_ADDRESS: 'env.example:7233', TEMPORAL_NAMESPACE: 'env-ns', TEMPORAL_API_KEY: ENV_KEY,
    TEMPORAL_TLS_CLIENT_CERT_PATH: otherCert, TEMPORAL_TLS_CLIENT_KEY_PATH: otherKey,
  };
  const fromEnv = resolveConnectionSettings({}, env);
  assert.equal(fromEnv.address, 'env.example:7233');
  assert.equal(fromEnv.namespace, 'env-ns');
  assert.equal(fromEnv.apiKey, ENV_KEY);
  assert.equal(Buffer.from((fromEnv.tls as any).clientCertPair.crt).toString(), 'other cert');
  assert.equal((fromEnv.tls as any).serverNameOverride, 'prod.internal', 'what the environment leaves unset comes from the profile');
  assert.equal(fromEnv.origin('address'), 'TEMPORAL_ADDRESS');
  assert.equal(fromEnv.origin('clientCert'), 'TEMPORAL_TLS_CLIENT_CERT_PATH');
  assert.equal(fromEnv.origin('serverName'), `tls.server_name of profile "prod" in ${config}`);

  const fromFlags = resolveConnectionSettings({
    address: 'flag.example:443', namespace: 'flag-ns', apiKey: FLAG_KEY, tlsCertPath: cert, tlsKeyPath: key, tlsServerName: 'flag.internal',
    taskQueue: 'q-flag',
  }, { ...env, HEXMETA_TASK_QUEUE: 'q-env' });
  assert.equal(fromFlags.address, 'flag.example:443');
  assert.equal(fromFlags.namespace, 'flag-ns');
  assert.equal(fromFlags.apiKey, FLAG_KEY);
  assert.equal(fromFlags.taskQueue, 'q-flag');
  assert.equal((fromFlags.tls as any).serverNameOverride, 'flag.internal');
  assert.match(Buffer.from((fromFlags.tls as any).clientCertPair.crt).toString(), /profile/);
  assert.equal(fromFlags.origin('apiKey'), '--api-key');
  assert.equal(fromFlags.origin('clientKey'), '--tls-key-path');
  assert.equal(resolveConnectionSettings({}, { ...env, HEXMETA_TASK_QUEUE: 'q-env' }).taskQueue, 'q-env');
  assert.equal(resolveConnectionSettings({}, base).taskQueue, 'hexmeta');
});

test('TLS: on with an API key or any --tls-* setting, off with TEMPORAL_TLS=false, plain without any', () => {
  const env = { HOME: dir };
  assert.equal(resolveConnectionSettings({ address: 'a:1' }, env).tls, false);
  assert.deepEqual(resolveConnectionSettings({ address: 'a:1', apiKey: FLAG_KEY }, env).tls, {});
  assert.notEqual(resolveConnectionSettings({ address: 'a:1', tls: true }, env).tls, false);
  assert.notEqual(resolveConnectionSettings({ address: 'a:1' }, { ...env, TEMPORAL_TLS: 'true' }).tls, false);
  assert.equal(resolveConnectionSettings({ address: 'a:1', apiKey: FLAG_KEY }, { ...env, TEMPORAL_TLS: 'false' }).tls, false);
  assert.equal(resolveConnectionSettings({}, env).address, null, 'nothing names a server: commands that can embed one do');
});

test('settings that cannot work fail before connecting, naming the setting', () => {
  const env = { HOME: dir };
  assert.throws(() => resolveConnectionSettings({ address: 'a:1', tlsCertPath: cert }, env),
    (e: Error) => e instanceof ConnectionSettingsError && /--tls-cert-path needs the other half of the pair too: --tls-key-path/.test(e.message));
  assert.throws(() => resolveConnectionSettings({ address: 'a:1', tlsCaPath: join(dir, 'missing.pem') }, env),
    /--tls-ca-path: cannot read .*missing\.pem \(ENOENT\)/);
  assert.throws(() => resolveConnectionSettings({}, { ...env, TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'nope.crt'), TEMPORAL_TLS_CLIENT_KEY_PATH: key }),
    /TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read/);
  assert.throws(() => resolveConnectionSettings({ address: 'https://temporal.example' }, env), /--address: "https:\/\/temporal\.example" is not host:port/);
  assert.throws(() => resolveConnectionSettings({ profile: 'staging' }, base), /--profile staging: no such profile in .*temporal\.toml/);
  assert.throws(() => resolveConnectionSettings({}, { ...base, TEMPORAL_PROFILE: 'staging' }), /TEMPORAL_PROFILE=staging: no such profile/);
  assert.throws(() => resolveConnectionSettings({}, { ...env, TEMPORAL_CONFIG_FILE: join(dir, 'none.toml') }), /TEMPORAL_CONFIG_FILE: cannot read .*none\.toml/);
  assert.throws(() => resolveConnectionSettings({}, { ...env, TEMPORAL_CONFIG_FILE: file('broken.toml', '[profile.x\naddress=') }),
    /Temporal profile file .*broken\.toml/);
});

test('the API key is never printed: not in the description, errors, nor any later log line', async () => {
  const lines: string[] = [];
  configureProcessLog({ level: 'DEBUG', format: 'text', write: (line) => lines.push(line) });
  const port = await freePort();
  const settings = resolveConnectionSettings({ address: `127.0.0.1:${port}`, apiKey: FLAG_KEY }, { HOME: dir });
  assert.equal(describeConnection(settings), `127.0.0.1:${port} (namespace default, TLS, API key)`);
  for (const connect of [connectClient, connectNative]) {
    const started = Date.now();
    await assert.rejects(connect(settings), (error: Error) => {
      assert.ok(error instanceof TemporalConnectionError);
      assert.match(error.message, new RegExp(`Cannot connect to Temporal at 127\\.0\\.0\\.1:${port}: ECONNREFUSED: nothing answers there; check --address`));
      assert.ok(!error.message.includes(FLAG_KEY));
      return true;
    });
    assert.ok(Date.now() - started < 2_000, 'a refused connection is said at once');
  }
  processLog().info(`a line that happens to carry ${FLAG_KEY}`);
  assert.equal(lines.length, 1);
  assert.ok(!lines[0].includes(FLAG_KEY));
});

test('no server named: a command that needs one says every way to name it', async () => {
  await assert.rejects(connectClient(resolveConnectionSettings({}, { HOME: dir })),
    /no Temporal server given: set --address, TEMPORAL_ADDRESS or address in a profile/);
});
