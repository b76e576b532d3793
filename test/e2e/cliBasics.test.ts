import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { validateWrittenFile } from '../../client/init/validateTemplate';
import { cliEnv, runCli } from '../support/cli';

/*
 * What a person meets first: usage errors and their exit code, `hexmeta init`, and the demo's refusal of a
 * folder holding someone else's files. Each through the real CLI process.
 */

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-cli-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const env = cliEnv({});
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'hex.yaml');

test('usage errors exit 2 with commander\'s message; help and version exit 0', async () => {
  const cases: [string[], RegExp][] = [
    [['ingest'], /required option '-c, --config <file>' not specified/],
    [['ingest', '-c', 'hex.yaml', '--colour'], /unknown option '--colour'/],
    [['no-such-command'], /unknown command 'no-such-command'/],
    [['schedule', 'trigger', 'svc', '--bogus'], /unknown option '--bogus'/],
    [['status', '--recent'], /option '--recent <n>' argument missing/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args, env);
    assert.equal(result.code, 2, `hexmeta ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  for (const args of [['--help'], ['--version'], ['init', '--help']]) {
    const result = await runCli(args, env);
    assert.equal(result.code, 0, `hexmeta ${args.join(' ')}: ${result.stderr}`);
    assert.ok(result.stdout.length > 0);
  }
});

test('init writes the commented examples/hex.yaml, which validates, and never overwrites a file', async () => {
  const dir = join(freshDir(), 'new', 'folder');
  const first = await runCli(['init', '--dir', dir], env);
  assert.equal(first.code, 0, first.stderr);
  const path = join(dir, 'hex.yaml');
  const written = readFileSync(path, 'utf8');
  assert.equal(written, readFileSync(EXAMPLE, 'utf8'), 'examples/hex.yaml is the file init writes');
  assert.match(first.stdout, new RegExp(`npx hexmeta ingest -c ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(validateWrittenFile(EXAMPLE, {}), 'hex_prod');

  // Secrets are references, and there is one lineage example and connection per warehouse kind.
  const doc = parse(written);
  assert.equal(doc.source.serviceConnection.config.token, '${HEX_TOKEN}');
  assert.equal(doc.workflowConfig.openMetadataServerConfig.securityConfig.jwtToken, '${OM_JWT}');
  const kinds = Object.values(doc.warehouses as Record<string, { type: string }>).map((w) => w.type).sort();
  assert.deepEqual(kinds, ['Athena', 'BigQuery', 'Clickhouse', 'Databricks', 'MariaDB', 'Mysql', 'Postgres', 'Presto', 'Redshift', 'Snowflake', 'Trino']);
  const prefixes: string[] = doc.source.sourceConfig.config.lineageInformation.dbServicePrefixes;
  for (const service of Object.keys(doc.warehouses)) assert.ok(prefixes.some((p) => p.split('.')[0] === service), `${service} has a prefix`);
  const literalSecrets = written.split('\n').filter((line) => /(password|token|secret|privateKey\w*|jwtToken):\s/i.test(line) && !/\$\{[A-Z_]+\}/.test(line));
  assert.deepEqual(literalSecrets, []);
  // Every option hexmeta reads under `hexmeta:` is there (the workspace one commented).
  // Every option hexmeta reads under `hexmeta:` is there; those with an environment fallback, and the workspace, commented.
  for (const key of ['hexCellRequestsPerMinute', 'lookbackDays', 'charts', 'cellLineage', 'usage', 'listing', 'historyOverlapMinutes']) {
    assert.ok(key in doc.hexmeta, `hexmeta.${key}`);
  }
  for (const key of ['workspace', 'hexRequestsPerMinute', 'hexMaxRetryAfterSeconds']) assert.match(written, new RegExp(`\\n  # ${key}: `), key);

  writeFileSync(path, 'mine: true\n');
  const again = await runCli(['init', '--dir', dir], env);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /exists already; hexmeta init never overwrites/);
  assert.equal(readFileSync(path, 'utf8'), 'mine: true\n');
});

test('demo --dir refuses a folder holding files it did not make, before starting anything', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'hex.yaml'), 'my own workflow file\n');
  mkdirSync(join(dir, 'notes'));
  const result = await runCli(['demo', '--exit', '--no-ui', '--dir', dir], env);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /holds files the demo did not make \(hex\.yaml, notes\)/);
  assert.equal(readFileSync(join(dir, 'hex.yaml'), 'utf8'), 'my own workflow file\n', 'untouched');
  assert.deepEqual(readdirSync(dir).sort(), ['hex.yaml', 'notes']);
  assert.equal(existsSync(join(dir, 'temporal.db')), false);
});
