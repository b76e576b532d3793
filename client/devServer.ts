import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { commandLineOf, isAlive, ProcessRegistry, readPid, withLockFile } from './processFiles';

export interface EmbeddedServer {
  address: string;
  uiUrl: string | null;
  /** True when another hexmeta process of the same state folder started it. */
  joined: boolean;
  /** Leaves the server; the last hexmeta process to leave stops it. */
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

/** Resolves once the server answers health checks; fails when it exits or after `timeoutMs`. */
export async function waitUntilServing(address: string, exited: () => boolean, logFile?: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.healthService.check({});
      } finally {
        await connection.close();
      }
      return;
    } catch (error) {
      if (exited() || Date.now() > deadline) {
        throw new Error(`the Temporal dev server at ${address} did not start${logFile ? ` (log: ${logFile})` : ''}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The state folder's files about its server: which process, where it listens, who uses it. */
function stateFiles(stateDir: string) {
  return {
    db: join(stateDir, 'temporal.db'),
    log: join(stateDir, 'temporal.log'),
    pid: join(stateDir, 'temporal.pid'),
    address: join(stateDir, 'temporal.address'),
    lock: join(stateDir, 'temporal.lock'),
    users: new ProcessRegistry(join(stateDir, 'temporal.users')),
  };
}
type StateFiles = ReturnType<typeof stateFiles>;

/** The recorded server, when its process still runs this state folder's database. */
function runningServer(files: StateFiles): { pid: number; address: string; uiUrl: string | null } | null {
  const pid = readPid(files.pid);
  if (pid === null || !isAlive(pid)) return null;
  const commandLine = commandLineOf(pid);
  if (commandLine !== null && !commandLine.includes(files.db)) return null;
  let lines: string[];
  try {
    lines = readFileSync(files.address, 'utf8').trim().split('\n');
  } catch {
    return null;
  }
  return { pid, address: lines[0], uiUrl: lines[1] || null };
}

/** Servers this process started: waiting for their exit event also reaps them, so no zombie outlives us. */
const children = new Map<number, ChildProcess>();

/** Stops the recorded server (SIGTERM, then SIGKILL after 10 s) and forgets it. */
async function stopRecordedServer(files: StateFiles): Promise<void> {
  const pid = readPid(files.pid);
  const commandLine = pid === null ? null : commandLineOf(pid);
  const child = pid === null ? undefined : children.get(pid);
  const running = () => (child ? child.exitCode === null && child.signalCode === null : isAlive(pid!));
  if (pid !== null && isAlive(pid) && (commandLine === null || commandLine.includes('temporal'))) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && running(); i++) await new Promise((r) => setTimeout(r, 100));
    if (running()) process.kill(pid, 'SIGKILL');
    if (child && running()) await new Promise((r) => child.once('exit', r));
  }
  if (pid !== null) children.delete(pid);
  rmSync(files.pid, { force: true });
  rmSync(files.address, { force: true });
}

/**
 * Starts `temporal server start-dev` with its state in `<stateDir>/temporal.db` and its output in
 * `<stateDir>/temporal.log`, so our stdout stays ours (--json) and a rerun finds the same workflows. It runs in
 * a process group of its own: a terminal's Ctrl-C reaches hexmeta, which stops it after its own shutdown.
 */
async function spawnServer(cli: string, files: StateFiles, ui: boolean): Promise<{ address: string; uiUrl: string | null }> {
  const port = await freePort();
  const uiPort = ui ? await freePort() : null;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', files.db, '--log-level', 'error',
    '--search-attribute', 'HexmetaService=Keyword', '--search-attribute', 'HexmetaTrigger=Keyword'];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  const log = openSync(files.log, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  // Other hexmeta processes of this folder may outlive this one and go on using the server.
  child.unref();
  children.set(child.pid!, child);
  writeFileSync(files.pid, String(child.pid));
  const address = `127.0.0.1:${port}`;
  const uiUrl = uiPort ? `http://127.0.0.1:${uiPort}` : null;
  try {
    await waitUntilServing(address, () => child.exitCode !== null || child.signalCode !== null, files.log);
  } catch (error) {
    await stopRecordedServer(files);
    throw error;
  }
  writeFileSync(files.address, `${address}\n${uiUrl ?? ''}\n`);
  return { address, uiUrl };
}

async function answers(address: string): Promise<boolean> {
  try {
    await waitUntilServing(address, () => true);
    return true;
  } catch {
    return false;
  }
}

export interface AcquireOptions {
  ui?: boolean;
  /** Finds the CLI; called only when a server has to be started. */
  locateCli: () => Promise<string>;
  say?: (line: string) => void;
}

/**
 * The state folder's embedded dev server: the one another hexmeta process of this folder already runs, else a
 * new one (a server left by a killed run, used by nobody, is stopped first: it holds the database file).
 * Every process using it has an entry in `<stateDir>/temporal.users/`; the last one to leave stops it.
 */
export async function acquireEmbeddedServer(stateDir: string, options: AcquireOptions): Promise<EmbeddedServer> {
  mkdirSync(stateDir, { recursive: true });
  const files = stateFiles(stateDir);
  const say = options.say ?? (() => undefined);
  const found = await withLockFile(files.lock, async () => {
    files.users.add();
    try {
      const others = files.users.live().filter((u) => u.pid !== process.pid);
      const running = runningServer(files);
      if (others.length > 0 && running && await answers(running.address)) {
        say(`Joining the embedded Temporal dev server at ${running.address}, started for this state folder by hexmeta process ${others.map((u) => u.pid).join(', ')}`
          + (options.ui && !running.uiUrl ? ' (it runs without the Web UI)' : ''));
        return { address: running.address, uiUrl: running.uiUrl, joined: true };
      }
      await stopRecordedServer(files);
      return { ...await spawnServer(await options.locateCli(), files, options.ui ?? false), joined: false };
    } catch (error) {
      files.users.remove();
      throw error;
    }
  });

  let left = false;
  // Backstop for an exit that skips stop(): leave, and stop the server when nobody else uses it.
  const leaveOnExit = () => {
    if (left) return;
    left = true;
    files.users.remove();
    const running = runningServer(files);
    if (files.users.live().length === 0 && running) {
      try { process.kill(running.pid, 'SIGTERM'); } catch { /* gone already */ }
    }
  };
  process.once('exit', leaveOnExit);
  return {
    ...found,
    stop: async () => {
      process.off('exit', leaveOnExit);
      if (left) return;
      left = true;
      await withLockFile(files.lock, async () => {
        files.users.remove();
        if (files.users.live().length === 0) await stopRecordedServer(files);
      });
    },
  };
}
