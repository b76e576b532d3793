import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, HEXMETA_BIN, runCli } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/* Ctrl-C as a terminal sends it: to the whole process group. hexmeta stops soon and the rerun goes on. */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

const projects = makeWorkspace(2_000, 31);

/** Runs `hexmeta ingest` as a shell runs a foreground command: in a process group of its own. */
function startIngest(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(process.execPath, [HEXMETA_BIN, 'ingest', ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

test('the first Ctrl-C exits 130 within 5 s and the rerun resumes after the pages already read', async () => {
  // Hex at about two listing pages a second: the run is mid-listing when Ctrl-C comes.
  const w = await startWorld({ projects, serviceName: 'hex_ctrl_c_resume', hex: { latencyMs: 400 } });
  worlds.push(w);
  const listings = () => w.hex.requests.filter((r) => r.path.endsWith('/projects') && r.query.limit === '100');
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-ctrl-c-'));
  const env = cliEnv({ ...w.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  const configPath = w.writeConfig();

  const first = startIngest(['-c', configPath], env, cwd);
  const deadline = Date.now() + 60_000;
  while (listings().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(listings().length >= 4, first.stderr());
  const interruptedAt = Date.now();
  process.kill(-first.child.pid!, 'SIGINT');
  const code = await first.exited;
  const exitMs = Date.now() - interruptedAt;
  assert.equal(code, 130, first.stderr());
  assert.ok(exitMs < 5_000, `exited ${exitMs} ms after Ctrl-C`);
  assert.match(first.stderr(), /run the same command again to resume/);
  const listedBefore = listings().length;
  assert.ok(listedBefore < 20, 'the first run was stopped mid-listing');

  const rerun = await runCli(['ingest', '-c', configPath, '--json'], env, cwd);
  assert.equal(rerun.code, 0, rerun.stderr);
  const rerunListings = listings().slice(listedBefore);
  assert.ok(rerunListings.length > 0, rerun.stderr);
  assert.ok(rerunListings[0].query.after, `the rerun starts at page ${listedBefore} or later, not at page 1`);
  const summary = JSON.parse(rerun.stdout);
  // Every project of the workspace is counted once across both runs: no page was read twice into the result.
  assert.equal(summary.projectsSeen, projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).length);
  // Without a TTY: plain lines, no redraws, no SDK chatter.
  assert.doesNotMatch(first.stderr() + rerun.stderr, /\r|\x1b\[|Worker state changed|MaxListenersExceededWarning|Query not found/);
});

test("a page stuck behind Hex's Retry-After does not hold Ctrl-C; a second Ctrl-C quits at once", async () => {
  // Five requests a minute, then 429 with a 60 s Retry-After: the listing soon waits on Hex.
  const w = await startWorld({ projects, serviceName: 'hex_ctrl_c_waiting', hex: { rateLimitPerMinute: 5, retryAfterSeconds: 60 } });
  worlds.push(w);
  const env = cliEnv({ ...w.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  const configPath = w.writeConfig();
  const waitForLimit = async (seen: number) => {
    const deadline = Date.now() + 60_000;
    while (w.hex.requests.length < seen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(w.hex.requests.length >= seen, 'Hex answered 429');
    await new Promise((r) => setTimeout(r, 500));
  };

  const once = startIngest(['-c', configPath], env, mkdtempSync(join(tmpdir(), 'hexmeta-ctrl-c-')));
  await waitForLimit(6);
  let at = Date.now();
  process.kill(-once.child.pid!, 'SIGINT');
  assert.equal(await once.exited, 130, once.stderr());
  const onceMs = Date.now() - at;
  assert.ok(onceMs < 5_000, `exited ${onceMs} ms after Ctrl-C while a page waited on Retry-After`);

  const twice = startIngest(['-c', configPath], env, mkdtempSync(join(tmpdir(), 'hexmeta-ctrl-c-')));
  await waitForLimit(w.hex.requests.length + 1);
  process.kill(-twice.child.pid!, 'SIGINT');
  await new Promise((r) => setTimeout(r, 200));
  at = Date.now();
  process.kill(-twice.child.pid!, 'SIGINT');
  assert.equal(await twice.exited, 130, twice.stderr());
  const twiceMs = Date.now() - at;
  assert.ok(twiceMs < 1_500, `exited ${twiceMs} ms after the second Ctrl-C`);
  assert.match(twice.stderr(), /Second Ctrl-C: quitting now/);
});
