import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WarehouseError } from '../../activities/warehouses/errors';
import {
  createClickhouseHistorySource, pageQuery, stringLiteral, windowSeconds,
} from '../../activities/warehouses/clickhouse';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import {
  clickhouseConnection, clickhouseNow, flushClickhouseLogs, hexComment, readAllPages, runClickhouse, runTag,
  serviceEnv, sleep, withLeadingHexComment,
} from '../support/databases';

describe('ClickHouse history source against a real system.query_log', () => {
  const env = serviceEnv('CLICKHOUSE');
  const tag = runTag();
  const table = `${env.database}.hex_orders_${tag}`;
  const projectA = `aaaaaaaa-0000-4000-8000-${tag}`;
  const projectB = `bbbbbbbb-0000-4000-8000-${tag}`;
  // 18.16 cuts a trailing comment from the logged text, so the Hex comment goes first here.
  const hexA = [1, 2, 3, 4].map((n) => withLeadingHexComment(`SELECT id, ${n} AS n FROM ${table}`, projectA));
  const quoted = `${hexComment(projectA, "O'Hara \\ Co")}\nSELECT id, 9 AS n FROM ${table}`;
  const malformed = `-- Hex query metadata: {"project_id": "not closed\nSELECT count() FROM ${table}`;
  const hexB = [5, 6].map((n) => withLeadingHexComment(`SELECT id, ${n} AS n FROM ${table}`, projectB));
  let source: QueryHistorySource;
  let start: string;
  let middle: string;
  let end: string;

  before(async () => {
    await runClickhouse(env, `CREATE TABLE IF NOT EXISTS ${table} (id UInt32) ENGINE = Memory`);
    start = await clickhouseNow(env);
    for (const sql of [...hexA, quoted, `SELECT id FROM ${table} /* noise */ WHERE 1`, malformed]) await runClickhouse(env, sql);
    // event_time has whole seconds: let the clock move on so the two batches sit in different seconds.
    await sleep(1100);
    middle = await clickhouseNow(env);
    for (const sql of hexB) await runClickhouse(env, sql);
    await sleep(1100);
    end = await clickhouseNow(env);
    await flushClickhouseLogs(env);
    source = createClickhouseHistorySource(clickhouseConnection(env));
  });

  after(async () => {
    await source?.close();
  });

  const ours = (rows: HistoryRow[]) => rows.filter((row) => row.sql.includes(table)).map((row) => row.sql).sort();

  test('returns the finished Hex statements of the window with their comments', async () => {
    const page = await source.readPage({ start, end }, null, 1000);
    assert.deepEqual(ours(page.rows), [...hexA, quoted, malformed, ...hexB].sort());
    assert.equal(page.next, null);
    for (const row of page.rows) {
      assert.ok(row.sql.includes('Hex query metadata'));
      assert.ok(row.startedAt && row.startedAt >= start && row.startedAt < end, `${row.startedAt} outside window`);
      // 18.16 has no current_database column.
      assert.equal(row.defaultDatabase, null);
    }
    // One row per query: the QueryStart entry is not read.
    assert.equal(new Set(page.rows.map((row) => row.queryId)).size, page.rows.length);
  });

  test('honours both ends of the window', async () => {
    const early = await source.readPage({ start, end: middle }, null, 1000);
    const late = await source.readPage({ start: middle, end }, null, 1000);
    assert.deepEqual(ours(early.rows), [...hexA, quoted, malformed].sort());
    assert.deepEqual(ours(late.rows), [...hexB].sort());
  });

  test('pages of two walk every row of the window exactly once, in order', async () => {
    const pages = await readAllPages<HistoryRow>(source, { start, end }, 2);
    assert.ok(pages.every((rows) => rows.length <= 2));
    const walked = pages.flat();
    const whole = (await source.readPage({ start, end }, null, 1000)).rows;
    assert.deepEqual(walked.map((row) => row.queryId), whole.map((row) => row.queryId));
    assert.equal(new Set(walked.map((row) => row.queryId)).size, walked.length);
    assert.deepEqual(ours(walked), [...hexA, quoted, malformed, ...hexB].sort());
  });

  test('a marker with quotes and backslashes is matched literally', async () => {
    const quotedSource = createClickhouseHistorySource(clickhouseConnection(env), {
      queryHistory: { marker: `"project_name": "O'Hara \\\\ Co"` },
    });
    try {
      const page = await quotedSource.readPage({ start, end }, null, 1000);
      assert.deepEqual(page.rows.map((row) => row.sql), [quoted]);
    } finally {
      await quotedSource.close();
    }
  });

  test('a wrong password is refused with a clear error that does not contain a password', async () => {
    const wrong = `wrong-${tag}`;
    const bad = createClickhouseHistorySource(clickhouseConnection(env, wrong));
    try {
      await assert.rejects(bad.readPage({ start, end }, null, 10), (error: Error) => {
        assert.ok(error instanceof WarehouseError);
        assert.equal(error.type, 'WarehouseAuthenticationError');
        assert.match(error.message, /rejected the credentials/);
        assert.ok(!error.message.includes(wrong) && !error.message.includes(env.password));
        return true;
      });
    } finally {
      await bad.close();
    }
  });
});

describe('ClickHouse history source configuration and query', () => {
  test('names a missing key and refuses another connection type', () => {
    assert.throws(() => createClickhouseHistorySource({ type: 'Clickhouse', username: 'u', password: 'secret-p' }), (error: Error) =>
      /"hostPort"/.test(error.message) && !error.message.includes('secret-p'));
    assert.throws(() => createClickhouseHistorySource({ type: 'Mysql', hostPort: 'h:8123' }), /"type"/);
    assert.throws(() => createClickhouseHistorySource({ type: 'Clickhouse', hostPort: 'h', pasword: 'x' }), /unknown key "pasword"/);
  });

  test('string literals escape quotes and backslashes', () => {
    assert.equal(stringLiteral(`a'b\\c`), `'a\\'b\\\\c'`);
  });

  test('window seconds include a row exactly when its second lies in [start, end)', () => {
    assert.deepEqual(windowSeconds({ start: '1970-01-01T00:00:10.000Z', end: '1970-01-01T00:00:20.000Z' }), { start: 10, end: 20 });
    assert.deepEqual(windowSeconds({ start: '1970-01-01T00:00:10.500Z', end: '1970-01-01T00:00:20.001Z' }), { start: 11, end: 21 });
  });

  test('every query is bounded by the window and the page size, with the numeric or named finish type', () => {
    const window = { start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z' };
    const old = pageQuery({ typeIsEnum: false, hasCurrentDatabase: false, hasIsInitialQuery: true }, window, null, 'Hex', 7);
    assert.match(old, /event_time >= toDateTime\(1704067200\) AND event_time < toDateTime\(1704153600\)/);
    assert.match(old, /type = 2/);
    assert.match(old, /LIMIT 7$/);
    const recent = pageQuery({ typeIsEnum: true, hasCurrentDatabase: true, hasIsInitialQuery: true }, window,
      { eventTime: 1704070000, queryId: "q'1" }, 'Hex', 3);
    assert.match(recent, /type = 'QueryFinish'/);
    assert.match(recent, /current_database/);
    assert.match(recent, /query_id > 'q\\'1'/);
  });
});
