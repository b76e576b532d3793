import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace } from '../../servers/hexServer';
import { cliEnv, HEXMETA_BIN } from '../support/cli';
import { temporalBinary } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/* What a person sees in a terminal: `hexmeta ingest` under a pseudo-terminal (util-linux `script`). */

const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Runs the CLI with its stdout and stderr on a pseudo-terminal; resolves with everything written to it. */
function runOnTty(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, HEXMETA_BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...env, COLUMNS: '400' }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** What each terminal line finally shows: the text after its last carriage return, without erase codes. */
function renderedLines(output: string): string[] {
  return output.split(/\r?\n/).map((line) => {
    const parts = line.split('\r');
    return parts[parts.length - 1].replace(/\x1b\[K/g, '');
  });
}

const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) /;

test('on a terminal: log lines above the live progress line, progress page by page, warnings listed, no SDK chatter', async () => {
  // Latency per request: the first batch of ten pages takes seconds, so the line is drawn while it runs.
  const w = await startWorld({ projects: makeWorkspace(1_500, 37), serviceName: 'hex_terminal', hex: { latencyMs: 300 } });
  worlds.push(w);
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-terminal-'));
  const env = cliEnv({ ...w.secretsEnv, TEMPORAL_CLI_PATH: temporalBinary() });
  const { code, output } = await runOnTty(['ingest', '-c', w.writeConfig()], env, cwd);
  assert.equal(code, 0, output);

  assert.doesNotMatch(output, /Worker state changed|No Nexus services|MaxListenersExceededWarning|Query not found/);
  const lines = renderedLines(output);
  // A log line never shares its terminal line with progress: the live line was cleared before it was written.
  for (const line of lines) {
    if (LOG_LINE.test(line)) assert.doesNotMatch(line, /\[(dashboards|lineage|finishing)\] pages/, `log line drawn over progress: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /.\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARN)/, `a log line starts mid-line: ${JSON.stringify(line)}`);
  }
  // Every log line starts a terminal line, or is written right after the live line was erased.
  const starts = [...output.matchAll(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARN)/g)].map((m) => m.index!);
  assert.ok(output.split('\n').filter((l) => l.includes('page ingested')).length >= 10, output);
  for (const at of starts) {
    const before = output.slice(Math.max(0, at - 4), at);
    assert.ok(at === 0 || before.endsWith('\n') || before.endsWith('\r\x1b[K'), `a log line written over the live line: ${JSON.stringify(output.slice(at - 80, at + 40))}`);
  }
  assert.ok(starts.some((at) => output.slice(at - 4, at) === '\r\x1b[K'), 'log lines came while progress showed');
  // The line moved page by page while the first batch of up to ten pages was still running.
  const drawn = [...output.matchAll(/\[dashboards\] pages (\d+) · projects (\d+)/g)].map((m) => ({ pages: Number(m[1]), projects: Number(m[2]) }));
  assert.ok(drawn.some((d) => d.pages >= 1 && d.pages < 10 && d.projects >= 100), `progress within the first batch: ${JSON.stringify(drawn.slice(0, 20))}`);
  assert.ok(/projects\/s/.test(output), 'the line shows the rate');
  // The summary lists the run's warnings (this workspace gives one per unknown owner, 20 of them).
  const summaryAt = output.lastIndexOf('Hex ingestion of service hex_terminal');
  assert.ok(summaryAt > 0, output);
  const summary = output.slice(summaryAt);
  const total = Number(/Warnings: +(\d+)/.exec(summary)?.[1]);
  assert.ok(total > 0 && total <= 20, `warnings: ${total}`);
  assert.match(summary, /\nWarnings:\r?\n/);
  assert.equal(summary.split('\n').filter((l) => /^ {2}- .+: owner e-mail is not an OpenMetadata user/.test(l)).length, total);
});
