import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WarehouseError } from '../../activities/warehouses/errors';
import {
  createMysqlHistorySource, databaseSetBy, pageFromFetched, toLogTime, type LogRow,
} from '../../activities/warehouses/mysql';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import {
  mariadbConnection, mariadbNow, mysqlConnection, readAllPages, runMariadb, runTag, serviceEnv, sleep,
  withMalformedHexComment, withTrailingHexComment,
} from '../support/databases';

describe('MySQL/MariaDB history source against a real MariaDB general_log', () => {
  const env = serviceEnv('MARIADB');
  const tag = runTag();
  const table = `hex_orders_${tag}`;
  const projectA = `aaaaaaaa-0000-4000-8000-${tag}`;
  const projectB = `bbbbbbbb-0000-4000-8000-${tag}`;
  let source: QueryHistorySource;
  let start: string;
  let middle: string;
  let end: string;
  const hexA = [1, 2, 3].map((n) => withTrailingHexComment(`SELECT id, ${n} AS n FROM ${table}`, projectA));
  const malformed = withMalformedHexComment(`SELECT count(*) FROM ${table}`);
  const hexB = [4, 5].map((n) => withTrailingHexComment(`SELECT id, ${n} AS n FROM ${table}`, projectB));

  before(async () => {
    await runMariadb(env, [`CREATE TABLE IF NOT EXISTS ${table} (id INT)`]);
    await runMariadb(env, [`CREATE TABLE IF NOT EXISTS ${table} (id INT)`], `${env.database}_other`);
    start = await mariadbNow(env);
    await sleep(5);
    await runMariadb(env, [...hexA, `SELECT id FROM ${table} /* noise ${tag} */`, malformed]);
    await sleep(5);
    middle = await mariadbNow(env);
    await sleep(5);
    // A session opened without a database that picks one with USE.
    await runMariadb(env, [`USE ${env.database}_other`, ...hexB], undefined);
    await sleep(5);
    end = await mariadbNow(env);
    source = createMysqlHistorySource(mariadbConnection(env));
  });

  after(async () => {
    await source?.close();
  });

  const ours = (rows: HistoryRow[]) => rows.filter((row) => row.sql.includes(table));

  test('returns the Hex statements of the window with their comments, and no other statements', async () => {
    const page = await source.readPage({ start, end }, null, 100);
    const sqls = ours(page.rows).map((row) => row.sql);
    assert.deepEqual(sqls, [...hexA, malformed, ...hexB]);
    assert.equal(page.next, null);
    for (const row of page.rows) {
      assert.ok(row.sql.includes('Hex query metadata'));
      assert.ok(row.startedAt && row.startedAt >= start && row.startedAt < end, `${row.startedAt} outside window`);
      assert.equal(row.defaultSchema, null);
    }
  });

  test('reports the database each session was using', async () => {
    const page = await source.readPage({ start, end }, null, 100);
    const databaseOf = new Map(ours(page.rows).map((row) => [row.sql, row.defaultDatabase]));
    for (const sql of hexA) assert.equal(databaseOf.get(sql), env.database);
    for (const sql of hexB) assert.equal(databaseOf.get(sql), `${env.database}_other`);
  });

  test('leaves the database unknown when tracking is turned off', async () => {
    const untracked = createMysqlHistorySource(mariadbConnection(env), { queryHistory: { trackDefaultDatabase: false } });
    try {
      const rows = ours((await untracked.readPage({ start, end }, null, 100)).rows);
      assert.equal(rows.length, hexA.length + 1 + hexB.length);
      assert.ok(rows.every((row) => row.defaultDatabase === null));
    } finally {
      await untracked.close();
    }
  });

  test('honours both ends of the window', async () => {
    const early = ours((await source.readPage({ start, end: middle }, null, 100)).rows).map((row) => row.sql);
    const late = ours((await source.readPage({ start: middle, end }, null, 100)).rows).map((row) => row.sql);
    assert.deepEqual(early, [...hexA, malformed]);
    assert.deepEqual(late, hexB);
  });

  test('pages of two walk every row of the window exactly once, in order', async () => {
    const pages = await readAllPages<HistoryRow>(source, { start, end }, 2);
    assert.ok(pages.every((rows) => rows.length <= 2));
    const walked = pages.flat();
    const whole = (await source.readPage({ start, end }, null, 1000)).rows;
    assert.deepEqual(walked.map((row) => row.queryId), whole.map((row) => row.queryId));
    assert.equal(new Set(walked.map((row) => row.queryId)).size, walked.length);
    assert.deepEqual(ours(walked).map((row) => row.sql), [...hexA, malformed, ...hexB]);
  });

  test('a wrong password is refused with a clear error that does not contain a password', async () => {
    const wrong = `wrong-${tag}`;
    const bad = createMysqlHistorySource(mysqlConnection(env, wrong));
    try {
      await assert.rejects(bad.readPage({ start, end }, null, 10), (error: Error) => {
        assert.ok(error instanceof WarehouseError);
        assert.equal(error.type, 'WarehouseAuthenticationError');
        assert.equal(error.nonRetryable, true);
        assert.match(error.message, /rejected the credentials/);
        assert.ok(!error.message.includes(wrong) && !error.message.includes(env.password));
        return true;
      });
    } finally {
      await bad.close();
    }
  });
});

describe('MySQL history source configuration', () => {
  test('names a missing key', () => {
    assert.throws(() => createMysqlHistorySource({ type: 'Mysql', username: 'u', authType: { password: 'p' } }), /"hostPort"/);
    assert.throws(() => createMysqlHistorySource({ type: 'MariaDB', hostPort: 'h:3306', password: 'secret-p' }), (error: Error) =>
      /"username"/.test(error.message) && !error.message.includes('secret-p'));
  });

  test('names keys the schema of the type does not know', () => {
    // MariaDB's schema has a top-level password, not authType.
    assert.throws(
      () => createMysqlHistorySource({ type: 'MariaDB', hostPort: 'h', username: 'u', authType: { password: 'p' } }),
      /unknown key "authType"/,
    );
    assert.throws(() => createMysqlHistorySource({ type: 'Mysql', hostPort: 'h', username: 'u', user: 'x' }), /unknown key "user"/);
  });

  test('refuses a connection of another type and auth types it cannot use', () => {
    assert.throws(() => createMysqlHistorySource({ type: 'Postgres', hostPort: 'h', username: 'u' }), /"type"/);
    assert.throws(
      () => createMysqlHistorySource({ type: 'Mysql', hostPort: 'h', username: 'u', authType: { awsConfig: {} } }),
      /only basic authentication/,
    );
  });

  test('window bounds become UTC microsecond timestamps', () => {
    assert.equal(toLogTime('2024-05-01T10:00:00.123Z', 'start'), '2024-05-01 10:00:00.123000');
    assert.equal(toLogTime('2024-05-01T12:00:00+02:00', 'end'), '2024-05-01 10:00:00.000000');
    assert.throws(() => toLogTime('yesterday', 'start'), /window start/);
  });
});

describe('MySQL keyset paging over rows that share a timestamp', () => {
  const at = '2024-05-01 10:00:00.000001';
  const row = (threadId: string, argument: string, eventTime = at): LogRow => ({ eventTime, threadId, argument });
  // What the server returns in ORDER BY event_time, thread_id, argument.
  const log = [row('7', 'a'), row('7', 'b'), row('7', 'b'), row('7', 'c'), row('8', 'a'), row('9', 'z', '2024-05-01 10:00:00.000002')];

  /** Emulates the server side of the query: rows at or after the cursor key, LIMIT skip + pageSize. */
  function serve(cursor: Record<string, string | number | boolean | null> | null, limit: number): LogRow[] {
    const from = cursor
      ? log.filter((r) => r.eventTime > String(cursor.eventTime)
        || (r.eventTime === cursor.eventTime && Number(r.threadId) >= Number(cursor.threadId)))
      : log;
    return from.slice(0, limit);
  }

  for (const pageSize of [1, 2, 3, 10]) {
    test(`page size ${pageSize} returns each row once, duplicates included`, () => {
      const seen: LogRow[] = [];
      let cursor: Record<string, string | number | boolean | null> | null = null;
      for (let guard = 0; guard < 50; guard += 1) {
        const skip = cursor ? Number(cursor.skip) : 0;
        const page = pageFromFetched(serve(cursor, skip + pageSize), cursor, pageSize);
        assert.ok(page.rows.length <= pageSize);
        seen.push(...page.rows);
        cursor = page.next;
        if (!cursor) break;
      }
      assert.equal(cursor, null);
      assert.deepEqual(seen, log);
    });
  }
});

describe('MySQL session events', () => {
  const event = (commandType: string, argument: string) => ({ eventTime: '2024-01-01 00:00:00.000000', threadId: '1', commandType, argument });

  test('reads the database from Connect, Init DB and USE rows', () => {
    assert.equal(databaseSetBy(event('Connect', 'hexmeta@127.0.0.1 on sales using TCP/IP')), 'sales');
    assert.equal(databaseSetBy(event('Connect', 'hexmeta@127.0.0.1 on  using TCP/IP')), null);
    assert.equal(databaseSetBy(event('Connect', 'root@localhost as anonymous on shop')), 'shop');
    assert.equal(databaseSetBy(event('Init DB', 'analytics')), 'analytics');
    assert.equal(databaseSetBy(event('Query', 'USE `odd``name`')), 'odd`name');
    assert.equal(databaseSetBy(event('Query', 'use finance;')), 'finance');
    assert.equal(databaseSetBy(event('Query', 'users_table_select')), undefined);
  });
});
