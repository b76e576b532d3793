import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { lineageParse } from '../../../client/commands/lineageParse';
import { hexCommentLine } from './corpusHelpers';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(opts: Parameters<typeof lineageParse>[0], input: string) {
  const stdout = collect();
  const stderr = collect();
  const code = await lineageParse(opts, { stdin: Readable.from([input]), stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('lineageParse', () => {
  it('prints hex metadata, tables and warnings for one statement from stdin', async () => {
    const sql = `select * from finance.invoices i join crm.accounts a on a.id = i.account_id\n${hexCommentLine(7)}\n`;
    const result = await run({ dialect: 'snowflake', database: 'ANALYTICS' }, sql);
    assert.equal(result.code, 0);
    const output = JSON.parse(result.stdout);
    assert.deepEqual(output.tables, ['ANALYTICS.CRM.ACCOUNTS', 'ANALYTICS.FINANCE.INVOICES']);
    assert.deepEqual(output.warnings, []);
    assert.equal(output.hex.workspace, 'acme-analytics');
    assert.match(output.hex.projectId, /^[0-9a-f-]{36}$/);
  });

  it('reads a file and prints null hex when there is no comment', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lineage-parse-'));
    try {
      const file = join(folder, 'query.sql');
      writeFileSync(file, 'select * from web.clicks');
      const result = await run({ dialect: 'trino', file }, '');
      assert.equal(result.code, 0);
      const output = JSON.parse(result.stdout);
      assert.equal(output.hex, null);
      assert.deepEqual(output.tables, ['web.clicks']);
      assert.equal(output.warnings.length, 1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exits 2 with a message when the file cannot be read', async () => {
    const result = await run({ dialect: 'mysql', file: '/nonexistent/hexmeta/query.sql' }, '');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Cannot read \/nonexistent\/hexmeta\/query\.sql/);
  });

  it('rejects an unknown dialect with exit code 2 and names the valid ones', async () => {
    const result = await run({ dialect: 'oracle' }, 'select 1');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Unknown dialect "oracle".*snowflake/);
  });

  it('streams JSONL in order, with per-line dialects and defaults', async () => {
    const lines = [
      JSON.stringify({ sql: 'select * from orders', dialect: 'postgres', default_database: 'app', default_schema: 'public' }),
      JSON.stringify({ sql: 'select * from Sales.Orders' }),
      '',
      JSON.stringify({ sql: 'select * from `p.d.t`', dialect: 'bigquery', default_database: null }),
    ];
    const result = await run({ dialect: 'snowflake', database: 'DB', jsonl: true }, lines.join('\n') + '\n');
    assert.equal(result.code, 0);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(outputs.map((o) => o.tables), [['app.public.orders'], ['DB.SALES.ORDERS'], ['p.d.t']]);
  });

  it('reports a bad line in place and exits 1', async () => {
    const lines = ['{not json', JSON.stringify({ sql: 'select 1', dialect: 'db2' }), JSON.stringify({ sql: 'select * from a.b' })];
    const result = await run({ dialect: 'mysql', jsonl: true }, lines.join('\n'));
    assert.equal(result.code, 1);
    const outputs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(outputs.length, 3);
    assert.match(outputs[0].error, /line 1: not valid JSON/);
    assert.match(outputs[1].error, /line 2: unknown dialect "db2"/);
    assert.deepEqual(outputs[2].tables, ['a.b']);
  });

  it('handles tens of thousands of lines', async () => {
    const line = JSON.stringify({ sql: `select * from s.t${'x'} join s.u on true\n${hexCommentLine(3)}`, default_database: 'D' });
    const count = 20_000;
    const result = await run({ dialect: 'databricks', jsonl: true }, `${line}\n`.repeat(count));
    assert.equal(result.code, 0);
    const outputs = result.stdout.trim().split('\n');
    assert.equal(outputs.length, count);
    assert.deepEqual(JSON.parse(outputs[count - 1]).tables, ['D.s.tx', 'D.s.u'], 'defaults are used as given, already in stored form');
  });

  it('--jsonl needs no --dialect when each line names its own; a line without one is an error naming the choices', async () => {
    const lines = [
      JSON.stringify({ sql: 'select * from "Sales"."Orders"', dialect: 'trino', default_database: 'hive' }),
      JSON.stringify({ sql: 'select * from `proj.ds.t`', dialect: 'bigquery' }),
      JSON.stringify({ sql: 'select * from s.t' }),
    ];
    const result = await run({ jsonl: true }, lines.join('\n'));
    assert.equal(result.code, 1);
    const outputs = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(outputs[0].tables, ['hive.sales.orders']);
    assert.deepEqual(outputs[1].tables, ['proj.ds.t']);
    assert.match(outputs[2].error, /line 3: no "dialect" on the line and no --dialect default; use one of: snowflake/);
  });

  it('without --jsonl, --dialect is required (exit 2)', async () => {
    const result = await run({}, 'select 1');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--dialect is required/);
  });
});
