import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';

export interface EmbeddedServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left behind by a killed `hexmeta ingest` still holds the database file: stop it first. */
async function stopLeftover(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'temporal';
    if (cmdline.includes('temporal')) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  rmSync(pidFile, { force: true });
}

/** Resolves once the server answers health checks; fails when it exits or after a minute. */
export async function waitUntilServing(address: string, exited: () => boolean, logFile?: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch (error) {
      if (exited() || Date.now() > deadline) {
        throw new Error(`the Temporal dev server at ${address} did not start${logFile ? ` (log: ${logFile})` : ''}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Starts `temporal server start-dev` with its state in `<stateDir>/temporal.db` and its output in
 * `<stateDir>/temporal.log`, so our stdout stays ours (--json) and a rerun finds the same workflows.
 */
export async function startEmbeddedServer(cli: string, stateDir: string, ui = false): Promise<EmbeddedServer> {
  mkdirSync(stateDir, { recursive: true });
  const pidFile = join(stateDir, 'temporal.pid');
  const logFile = join(stateDir, 'temporal.log');
  await stopLeftover(pidFile);
  const port = await freePort();
  const uiPort = ui ? await freePort() : null;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', join(stateDir, 'temporal.db'), '--log-level', 'error'];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  const log = openSync(logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', log, log] });
  writeFileSync(pidFile, String(child.pid));
  const address = `127.0.0.1:${port}`;
  await waitUntilServing(address, () => child.exitCode !== null, logFile);
  return {
    address,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : null,
    stop: () => new Promise<void>((resolve) => {
      const done = () => {
        rmSync(pidFile, { force: true });
        resolve();
      };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    }),
  };
}
