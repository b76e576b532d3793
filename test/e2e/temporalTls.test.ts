import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { makeCertificates, startTlsProxy, type TestCertificates, type TlsProxy } from '../support/tlsProxy';
import { startWorld, type World } from '../support/world';

// Temporal behind Debian's nginx, terminating TLS (and checking client certificates or an API key) in front of
// the plain dev server: what a production cluster or Temporal Cloud looks like to hexmeta.
const API_KEY = 'hxm-test-api-key-' + 'c3'.repeat(16);
const WRONG_KEY = 'hxm-wrong-api-key-' + '9d'.repeat(16);
const PROJECTS = 12;
const FAIL_FAST_MS = 5_000;

let world: World;
let certs: TestCertificates;
let mtls: TlsProxy;
let keyed: TlsProxy;
let upstream: string;

before(async () => {
  ({ address: upstream } = await suiteTemporal());
  certs = makeCertificates();
  mtls = await startTlsProxy({ upstream, certificates: certs, mutualTls: true });
  keyed = await startTlsProxy({ upstream, certificates: certs, apiKey: API_KEY });
  world = await startWorld({ projects: makeWorkspace(PROJECTS, 11), serviceName: 'hex_e2e_tls' });
});

after(async () => {
  await world?.close();
  await mtls?.stop();
  await keyed?.stop();
  await stopSuiteTemporal();
});

/** A full ingestion: a `hexmeta worker` and `hexmeta ingest`, each reaching Temporal its own way. */
async function ingestThrough(taskQueue: string, worker: { env: Record<string, string>; args?: string[] },
  ingest: { env: Record<string, string>; args?: string[] }): Promise<{ result: CliResult; workerOutput: CliResult }> {
  const child = await startWorkerProcess(cliEnv({ ...world.secretsEnv, ...worker.env }), taskQueue, worker.args);
  let result: CliResult;
  try {
    result = await runCli(['ingest', '-c', world.writeConfig(), '--task-queue', taskQueue, '--json', ...(ingest.args ?? [])],
      cliEnv({ ...world.secretsEnv, ...ingest.env }));
  } finally {
    child.kill('SIGTERM');
  }
  return { result, workerOutput: await child.output };
}

async function timed(run: () => Promise<CliResult>): Promise<CliResult & { ms: number }> {
  const started = Date.now();
  const result = await run();
  return { ...result, ms: Date.now() - started };
}

function assertDone(result: CliResult, proxy: TlsProxy): void {
  assert.equal(result.code, 0, `${result.stderr}\n${proxy.log().slice(-2000)}`);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.phase, 'done');
  assert.equal(summary.failuresTotal, 0);
  assert.ok(summary.projectsSeen > 0);
}

async function historyText(): Promise<string> {
  const { client, close } = await temporalClient(upstream);
  try {
    const history = await client.workflow.getHandle('hexmeta-ingestion-hex_e2e_tls').fetchHistory();
    return JSON.stringify(history);
  } finally {
    await close();
  }
}

const mtlsEnv = () => ({
  TEMPORAL_ADDRESS: mtls.address,
  TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKey,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert,
});

test('mTLS: a full ingestion through the proxy, worker from TEMPORAL_TLS_* variables, ingest from flags', async () => {
  const { result, workerOutput } = await ingestThrough('tls-mtls', { env: mtlsEnv() }, {
    env: {},
    args: ['--address', mtls.address, '--tls-cert-path', certs.clientCert, '--tls-key-path', certs.clientKey, '--tls-ca-path', certs.caCert],
  });
  assertDone(result, mtls);
  assert.equal(JSON.parse(result.stdout).dashboardsCreated, world.openMetadata.dashboards().length);
  assert.match(workerOutput.stderr, new RegExp(`polling task queue tls-mtls on ${mtls.address} \\(namespace default, mTLS\\)`));
});

test('mTLS: a client certificate the server does not trust fails fast with exit 2 and names the setting', async () => {
  const byFlag = await timed(() => runCli(['status', '--address', mtls.address, '--tls-ca-path', certs.caCert,
    '--tls-cert-path', certs.strangerCert, '--tls-key-path', certs.strangerKey], cliEnv({})));
  assert.equal(byFlag.code, 2, byFlag.stderr);
  assert.match(byFlag.stderr, /refused .*check the client certificate and key \(--tls-cert-path, --tls-key-path\)/);
  assert.ok(byFlag.ms < FAIL_FAST_MS, `took ${byFlag.ms} ms`);

  const ingest = await timed(() => runCli(['ingest', '-c', world.writeConfig()],
    cliEnv({ ...world.secretsEnv, ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: certs.strangerCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.strangerKey })));
  assert.equal(ingest.code, 2, ingest.stderr);
  assert.match(ingest.stderr, /TEMPORAL_TLS_CLIENT_CERT_PATH/);
  assert.ok(ingest.ms < FAIL_FAST_MS, `took ${ingest.ms} ms`);

  const worker = await timed(() => runCli(['worker'],
    cliEnv({ ...world.secretsEnv, ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: certs.strangerCert, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.strangerKey })));
  assert.equal(worker.code, 2, worker.stderr);
  assert.match(worker.stderr, /check the client certificate and key \(TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH\)/);
  assert.ok(worker.ms < FAIL_FAST_MS, `took ${worker.ms} ms`);

  // Without the CA, the proxy's own certificate is not trusted: said at once, naming where the CA goes.
  const noCa = await timed(() => runCli(['status', '--address', mtls.address, '--tls-cert-path', certs.clientCert, '--tls-key-path', certs.clientKey], cliEnv({})));
  assert.equal(noCa.code, 2, noCa.stderr);
  assert.match(noCa.stderr, /server's certificate is not trusted .*--tls-ca-path, TEMPORAL_TLS_SERVER_CA_CERT_PATH/);
  assert.ok(noCa.ms < FAIL_FAST_MS, `took ${noCa.ms} ms`);

  // A certificate for another name than the one asked for.
  const otherName = await timed(() => runCli(['status', '--address', mtls.address, '--tls-ca-path', certs.caCert, '--tls-server-name', 'temporal.example',
    '--tls-cert-path', certs.clientCert, '--tls-key-path', certs.clientKey], cliEnv({})));
  assert.equal(otherName.code, 2, otherName.stderr);
  assert.match(otherName.stderr, /the server's certificate is not for temporal\.example .*check --tls-server-name/);
  assert.ok(otherName.ms < FAIL_FAST_MS, `took ${otherName.ms} ms`);

  // TLS to the plain-text dev server, and plain text to a TLS server.
  const tlsToPlain = await timed(() => runCli(['status', '--address', upstream, '--tls'], cliEnv({})));
  assert.equal(tlsToPlain.code, 2, tlsToPlain.stderr);
  assert.match(tlsToPlain.stderr, /does not speak TLS there; check the address \(--address\) or turn TLS off/);
  assert.ok(tlsToPlain.ms < FAIL_FAST_MS, `took ${tlsToPlain.ms} ms`);
  const plain = await timed(() => runCli(['status', '--address', mtls.address], cliEnv({})));
  assert.equal(plain.code, 2, plain.stderr);
  assert.match(plain.stderr, /does not answer as plain-text gRPC; if it expects TLS, turn it on \(--tls, TEMPORAL_TLS/);
  assert.ok(plain.ms < FAIL_FAST_MS, `took ${plain.ms} ms`);
});

test('API key: the right key runs an ingestion, a wrong one exits 2 at once; the key is never printed or stored', async () => {
  const { result, workerOutput } = await ingestThrough('tls-api-key',
    { env: { TEMPORAL_ADDRESS: keyed.address, TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert } },
    { env: {}, args: ['--address', keyed.address, '--api-key', API_KEY, '--tls-ca-path', certs.caCert, '--log-level', 'DEBUG'] });
  assertDone(result, keyed);
  assert.match(workerOutput.stderr, /polling task queue tls-api-key on .* \(namespace default, TLS, API key\)/);
  for (const text of [result.stdout, result.stderr, workerOutput.stdout, workerOutput.stderr, await historyText()]) {
    assert.ok(!text.includes(API_KEY), 'the API key appears in output or history');
  }

  const wrong = await timed(() => runCli(['ingest', '-c', world.writeConfig()],
    cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: keyed.address, TEMPORAL_API_KEY: WRONG_KEY, TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caCert })));
  assert.equal(wrong.code, 2, wrong.stderr);
  assert.match(wrong.stderr, /refused the credentials \(invalid API key\); check TEMPORAL_API_KEY/);
  assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes(WRONG_KEY));
  assert.ok(wrong.ms < FAIL_FAST_MS, `took ${wrong.ms} ms`);

  const worker = await timed(() => runCli(['worker', '--address', keyed.address, '--api-key', WRONG_KEY, '--tls-ca-path', certs.caCert], cliEnv(world.secretsEnv)));
  assert.equal(worker.code, 2, worker.stderr);
  assert.match(worker.stderr, /refused the credentials .*check --api-key/);
  assert.ok(!`${worker.stdout}${worker.stderr}`.includes(WRONG_KEY));
  assert.ok(worker.ms < FAIL_FAST_MS, `took ${worker.ms} ms`);
});

test('a profile file selects address, mTLS and API key; flags and variables still win over it', async () => {
  const file = join(certs.dir, 'temporal.toml');
  writeFileSync(file, [
    '[profile.default]', 'address = "127.0.0.1:1"', '',
    '[profile.mtls]', `address = "${mtls.address}"`, '[profile.mtls.tls]',
    `client_cert_path = "${certs.clientCert}"`, `client_key_path = "${certs.clientKey}"`, `server_ca_cert_path = "${certs.caCert}"`, '',
    '[profile.cloud]', `address = "${keyed.address}"`, `api_key = "${API_KEY}"`, '[profile.cloud.tls]', `server_ca_cert_path = "${certs.caCert}"`, '',
  ].join('\n'));
  const { result, workerOutput } = await ingestThrough('tls-profile',
    { env: { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'mtls' } },
    { env: { TEMPORAL_CONFIG_FILE: file }, args: ['--profile', 'mtls'] });
  assertDone(result, mtls);
  assert.match(workerOutput.stderr, /\(namespace default, mTLS\)/);

  const status = await runCli(['status', '--profile', 'cloud', '--json'], cliEnv({ TEMPORAL_CONFIG_FILE: file }));
  assert.equal(status.code, 0, status.stderr);
  assert.ok(JSON.parse(status.stdout).some((run: { serviceName: string }) => run.serviceName === 'hex_e2e_tls'));
  assert.ok(!`${status.stdout}${status.stderr}`.includes(API_KEY));

  // The environment's key wins over the profile's: the proxy refuses it, and the message names the variable.
  const envWins = await runCli(['status', '--profile', 'cloud'], cliEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_API_KEY: WRONG_KEY }));
  assert.equal(envWins.code, 2, envWins.stderr);
  assert.match(envWins.stderr, /check TEMPORAL_API_KEY/);
  // A flag wins over both.
  const flagWins = await runCli(['status', '--profile', 'cloud', '--api-key', API_KEY], cliEnv({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_API_KEY: WRONG_KEY }));
  assert.equal(flagWins.code, 0, flagWins.stderr);
  // A wrong key in the profile is named as the profile's.
  writeFileSync(join(certs.dir, 'wrong.toml'), `[profile.cloud]\naddress = "${keyed.address}"\napi_key = "${WRONG_KEY}"\n[profile.cloud.tls]\nserver_ca_cert_path = "${certs.caCert}"\n`);
  const inProfile = await runCli(['status'], cliEnv({ TEMPORAL_CONFIG_FILE: join(certs.dir, 'wrong.toml'), TEMPORAL_PROFILE: 'cloud' }));
  assert.equal(inProfile.code, 2, inProfile.stderr);
  assert.match(inProfile.stderr, /check api_key of profile "cloud" in .*wrong\.toml/);
  assert.ok(!inProfile.stderr.includes(WRONG_KEY));

  const missing = await runCli(['status', '--profile', 'staging'], cliEnv({ TEMPORAL_CONFIG_FILE: file }));
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /--profile staging: no such profile in .*temporal\.toml/);
});
