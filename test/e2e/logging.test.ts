import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import type { RecordedRequest } from '../../servers/http';
import { cliEnv, runCli, type CliResult } from '../support/cli';
import { postgresConnection, runTag, serviceEnv } from '../support/databases';
import { temporalBinary } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

/*
 * `hexmeta ingest -c file` in embedded mode: the worker in the CLI process logs at the file's
 * workflowConfig.loggerLevel. Each run has a Hex workspace of two pages and one PostgreSQL warehouse whose
 * password only the workflow file's `warehouses:` entry holds, so all three kinds of secret are in play.
 */

const MASKED = '*********';
const PG_PASSWORD_VARIABLE = 'HEXMETA_E2E_LOG_PG_PASSWORD';
const pg = serviceEnv('PG');
const worlds: World[] = [];
after(async () => {
  await Promise.all(worlds.map((w) => w.close()));
});

function visible(projects: HexProject[]): HexProject[] {
  return projects.filter((p) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);
}

async function embeddedIngest(level: string, args: string[] = []): Promise<{ world: World; result: CliResult }> {
  const tag = runTag();
  const world = await startWorld({ projects: visible(makeWorkspace(180, 31)), serviceName: `hex_log_${tag}` });
  worlds.push(world);
  world.openMetadata.addDatabaseService('pg_log', 'Postgres', postgresConnection(pg, MASKED));
  const configPath = world.writeConfig((doc) => {
    doc.workflowConfig.loggerLevel = level;
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: ['pg_log'] };
    doc.warehouses = { pg_log: postgresConnection(pg, `\${${PG_PASSWORD_VARIABLE}}`) };
    doc.queryHistory = { pg_log: { marker: tag } };
    doc.hexmeta = { lookbackDays: 1 };
  });
  const cwd = mkdtempSync(join(tmpdir(), 'hexmeta-logging-'));
  const env = cliEnv({ ...world.secretsEnv, [PG_PASSWORD_VARIABLE]: pg.password, TEMPORAL_CLI_PATH: temporalBinary() });
  const result = await runCli(['ingest', '-c', configPath, '--json', ...args], env, cwd);
  assert.equal(result.code, 0, result.stderr);
  return { world, result };
}

function assertNoSecrets(result: CliResult): void {
  const output = result.stdout + result.stderr;
  for (const [name, secret] of [['Hex token', HEX_TOKEN], ['JWT', OM_JWT], ['warehouse password', pg.password]]) {
    assert.ok(!output.includes(secret), `${name} in the output`);
  }
  assert.ok(!/authorization/i.test(output), 'a request header in the output');
}

/** `METHOD path status` of each request a test server answered, sorted. */
function served(requests: RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path} ${r.status}`).sort();
}

interface ApiLine {
  service: string;
  method: string;
  path: string;
  status: number | string;
}

/** The same for the API-call lines of one service, the query string left out. */
function logged(lines: ApiLine[], service: string): string[] {
  return lines.filter((l) => l.service === service).map((l) => `${l.method} ${l.path.split('?')[0]} ${l.status}`).sort();
}

const TEXT_FIELD = /(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g;

function parseTextLine(line: string): { level: string; msg: string; fields: Record<string, string> } | null {
  const match = /^\S+Z (DEBUG|INFO|WARN|ERROR) +(.*)$/.exec(line);
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const [, key, raw] of match[2].matchAll(TEXT_FIELD)) fields[key] = raw.startsWith('"') ? JSON.parse(raw) : raw;
  const msg = match[2].split(/ \w+=/)[0];
  return { level: match[1], msg, fields };
}

test('loggerLevel DEBUG: one DEBUG line per Hex and OpenMetadata API call, a line per history page, no secret anywhere', async () => {
  const { world, result } = await embeddedIngest('DEBUG');
  const lines = result.stderr.split('\n').map(parseTextLine).filter((l) => l !== null);
  const calls = lines.filter((l) => l.level === 'DEBUG' && l.msg === 'api call')
    .map((l) => ({ service: l.fields.service, method: l.fields.method, path: l.fields.path, status: Number(l.fields.status) }));
  assert.ok(world.hex.requests.length >= 3, `Hex requests: ${world.hex.requests.length}`);
  assert.deepEqual(logged(calls, 'Hex'), served(world.hex.requests));
  assert.deepEqual(logged(calls, 'OpenMetadata'), served(world.openMetadata.requests));
  const pages = lines.filter((l) => l.msg === 'history page read');
  assert.ok(pages.length >= 1, 'a DEBUG line per history page read');
  assert.ok(pages.every((p) => p.level === 'DEBUG' && p.fields.warehouse === 'pg_log' && /^\d+$/.test(p.fields.rows) && /^\d+$/.test(p.fields.ms)));
  // INFO milestones: one line per Hex page and per prefix.
  assert.equal(lines.filter((l) => l.level === 'INFO' && l.msg === 'page ingested').length, JSON.parse(result.stdout).pagesRead);
  assert.equal(lines.filter((l) => l.msg === 'lineage done' && l.fields.prefix === 'pg_log').length, 1);
  assertNoSecrets(result);
});

test('--log-format json: every line on stderr is a JSON object with ts, level and msg', async () => {
  const { world, result } = await embeddedIngest('DEBUG', ['--log-format', 'json']);
  const lines = result.stderr.split('\n').filter((l) => l.trim());
  const parsed = lines.map((line) => {
    let value;
    assert.doesNotThrow(() => { value = JSON.parse(line); }, `not JSON: ${line}`);
    return value as unknown as Record<string, unknown> & ApiLine;
  });
  for (const line of parsed) {
    assert.ok(['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(String(line.level)), `level of ${JSON.stringify(line)}`);
    assert.equal(typeof line.msg, 'string');
    assert.ok(!Number.isNaN(Date.parse(String(line.ts))));
  }
  const calls = parsed.filter((l) => l.msg === 'api call');
  assert.deepEqual(logged(calls, 'Hex'), served(world.hex.requests));
  assert.deepEqual(logged(calls, 'OpenMetadata'), served(world.openMetadata.requests));
  // SDK lines (worker state, workflow bundle) come out in the same format.
  assert.ok(parsed.some((l) => l.sdkComponent === 'worker'), 'Temporal SDK lines in the log');
  assert.equal(JSON.parse(result.stdout).phase, 'done');
  assertNoSecrets(result);
});

test('loggerLevel INFO: milestones only, no DEBUG line', async () => {
  const { world, result } = await embeddedIngest('INFO');
  const lines = result.stderr.split('\n').map(parseTextLine).filter((l) => l !== null);
  assert.deepEqual(lines.filter((l) => l.level === 'DEBUG'), []);
  assert.ok(!result.stderr.includes('api call'));
  const pageLines = lines.filter((l) => l.msg === 'page ingested');
  const summary = JSON.parse(result.stdout);
  assert.ok(summary.pagesRead >= 2);
  assert.equal(pageLines.length, summary.pagesRead);
  assert.equal(pageLines.reduce((sum, l) => sum + Number(l.fields.projectsSeen), 0), summary.projectsSeen);
  assert.ok(world.hex.requests.length >= summary.pagesRead);
  assertNoSecrets(result);
});
