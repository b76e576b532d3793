import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, HEXMETA_BIN, runCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/* The embedded dev server's life: its own process group, and stopped by hexmeta on every way out. */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

const projects = makeWorkspace(600, 29).filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).slice(0, 400);

async function world(serviceName: string, latencyMs = 0): Promise<World> {
  const started = await startWorld({ projects, serviceName, hex: { latencyMs } });
  worlds.push(started);
  return started;
}

function runningServersOf(cwd: string): string {
  try {
    return execFileSync('pgrep', ['-af', join(cwd, '.hexmeta', 'temporal.db')], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

/** The process group of a process (the fifth field of /proc/<pid>/stat, after the command name). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

test('Ctrl-C in a terminal (SIGINT to the whole process group) reaches hexmeta, not its server; hexmeta stops the server', async () => {
  const w = await world('hex_lifecycle_ctrl_c', 700);
  const pages = () => w.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100').length;
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-lifecycle-'));
  const env = cliEnv({ ...w.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  // A process group of its own, as a shell gives a foreground command.
  const child = spawn(process.execPath, [HEXMETA_BIN, 'ingest', '-c', w.writeConfig(), '--json'], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (pages() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  const serverPid = Number(readFileSync(join(cwd, '.hexmeta', 'temporal.pid'), 'utf8'));
  assert.equal(processGroupOf(child.pid!), child.pid);
  assert.equal(processGroupOf(serverPid), serverPid, 'the server leads a process group of its own');
  process.kill(-child.pid!, 'SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /run the same command again to resume/);
  assert.doesNotMatch(stderr, /UNAVAILABLE/);
  assert.equal(runningServersOf(cwd), '', 'hexmeta stopped its server on the way out');
});

test('a run that fails (rejected Hex token, exit 2) leaves no server behind', async () => {
  const w = await world('hex_lifecycle_error');
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-lifecycle-'));
  const env = cliEnv({ ...w.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  const configPath = w.writeConfig((doc) => { doc.source.serviceConnection.config.token = `hxtw_${'ee'.repeat(48)}`; });
  const result = await runCli(['ingest', '-c', configPath], env, cwd);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Hex rejected the Hex token/);
  assert.equal(runningServersOf(cwd), '');
});
