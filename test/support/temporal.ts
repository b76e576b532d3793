import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort, waitUntilServing } from '../../client/devServer';
import { findTemporalCli } from '../../client/temporal';

export { freePort };

export function temporalBinary(): string {
  const bin = process.env.HEXMETA_TEST_TEMPORAL_BIN ?? findTemporalCli();
  if (!bin) throw new Error('the temporal CLI is needed for the tests (npm test installs it)');
  return bin;
}

export interface DevServer {
  address: string;
  dbFile: string;
  /** The Web UI's base URL, when started with `{ ui: true }`. */
  uiUrl?: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** A Temporal dev server of the test's own (for tests that kill or restart the server); headless unless `ui`. */
export async function startDevServer(
  dbFile = join(mkdtempSync(join(tmpdir(), 'hexmeta-temporal-')), 'temporal.db'),
  port?: number,
  options: { ui?: boolean } = {},
): Promise<DevServer> {
  const chosen = port ?? await freePort();
  const address = `127.0.0.1:${chosen}`;
  const uiPort = options.ui ? await freePort() : undefined;
  const uiArgs = uiPort ? ['--ui-port', String(uiPort)] : ['--headless'];
  const child = spawn(temporalBinary(), [
    'server', 'start-dev', ...uiArgs, '--ip', '127.0.0.1', '--port', String(chosen), '--db-filename', dbFile, '--log-level', 'error',
    '--search-attribute', 'HexmetaService=Keyword', '--search-attribute', 'HexmetaTrigger=Keyword',
  ], { stdio: 'ignore' });
  await waitUntilServing(address, () => child.exitCode !== null);
  const uiUrl = uiPort ? `http://127.0.0.1:${uiPort}` : undefined;
  if (uiUrl) await waitUntilUiServes(uiUrl, () => child.exitCode !== null);
  return {
    address, dbFile, process: child, uiUrl,
    stop: (signal = 'SIGTERM') => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    }),
  };
}

/** The Web UI listens a little after the frontend's gRPC port does. */
async function waitUntilUiServes(uiUrl: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(uiUrl).then(async (response) => { await response.arrayBuffer(); return response.ok; }, () => false);
    if (ok) return;
    if (exited() || Date.now() > deadline) throw new Error(`the Temporal Web UI at ${uiUrl} did not start`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let shared: Promise<{ address: string; server?: DevServer }> | null = null;

/** The suite's dev server (started by `npm test`), or one started for this test file when run alone. */
export function suiteTemporal(): Promise<{ address: string; server?: DevServer }> {
  if (!shared) {
    const address = process.env.HEXMETA_TEST_TEMPORAL_ADDRESS;
    shared = address ? Promise.resolve({ address }) : startDevServer().then((server) => ({ address: server.address, server }));
  }
  return shared;
}

export async function stopSuiteTemporal(): Promise<void> {
  if (!shared) return;
  const { server } = await shared;
  await server?.stop();
  shared = null;
}

export async function temporalClient(address: string): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection }), close: () => connection.close() };
}
