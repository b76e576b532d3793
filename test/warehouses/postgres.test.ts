import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WarehouseError } from '../../activities/warehouses/errors';
import { createPostgresHistorySource, pageQuery } from '../../activities/warehouses/postgres';
import { readHostPort } from '../../activities/warehouses/connectionFields';
import type { HistoryRow, QueryHistorySource } from '../../activities/warehouses/types';
import {
  postgresConnection, readAllPages, runPostgres, runTag, serviceEnv, withMalformedHexComment, withTrailingHexComment,
} from '../support/databases';

describe('PostgreSQL history source against a real pg_stat_statements', () => {
  const env = serviceEnv('PG');
  const otherDatabase = `${env.database}_other`;
  const tag = runTag();
  const table = `hex_orders_${tag}`;
  const projectA = `aaaaaaaa-0000-4000-8000-${tag}`;
  const projectB = `bbbbbbbb-0000-4000-8000-${tag}`;
  // No constants: pg_stat_statements would store them as $1, $2, …
  const hexA = [`SELECT id FROM ${table}`, `SELECT id, id + id FROM ${table}`, `SELECT count(*) FROM ${table}`]
    .map((sql) => withTrailingHexComment(sql, projectA));
  const sharedByA = withTrailingHexComment(`SELECT max(id) FROM ${table}`, projectA);
  const sharedByB = withTrailingHexComment(`SELECT max(id) FROM ${table}`, projectB);
  const malformed = withMalformedHexComment(`SELECT min(id) FROM ${table}`);
  const inOther = withTrailingHexComment(`SELECT id FROM ${table} ORDER BY id`, projectB);
  // Any window: the view records no time of execution.
  const window = { start: '1990-01-01T00:00:00Z', end: '1990-01-02T00:00:00Z' };
  let source: QueryHistorySource;

  before(async () => {
    await runPostgres(env, [
      `CREATE TABLE ${table} (id int)`,
      ...hexA, sharedByA, sharedByB, malformed, `SELECT sum(id) FROM ${table} /* noise */`,
    ]);
    await runPostgres(env, [`CREATE TABLE ${table} (id int)`, inOther], otherDatabase);
    source = createPostgresHistorySource(postgresConnection(env));
  });

  after(async () => {
    await source?.close();
  });

  const ours = (rows: HistoryRow[]) => rows.filter((row) => row.sql.includes(table));

  test('returns the Hex statements with their comments and the database they ran in', async () => {
    const rows = ours((await readAllPages<HistoryRow>(source, window, 1000)).flat());
    const sqls = rows.map((row) => row.sql).sort();
    // The same SQL from two projects is one entry that keeps the first text seen.
    assert.deepEqual(sqls, [...hexA, sharedByA, malformed, inOther].sort());
    for (const row of rows) {
      assert.ok(row.sql.includes('Hex query metadata'));
      assert.equal(row.startedAt, null);
      assert.equal(row.defaultSchema, null);
      assert.equal(row.defaultDatabase, row.sql === inOther ? otherDatabase : env.database);
    }
  });

  test('pages of two walk every entry exactly once, in keyset order', async () => {
    const pages = await readAllPages<HistoryRow>(source, window, 2);
    assert.ok(pages.every((rows) => rows.length <= 2));
    const walked = pages.flat();
    const whole = (await readAllPages<HistoryRow>(source, window, 10_000)).flat();
    assert.deepEqual(walked.map((row) => row.queryId), whole.map((row) => row.queryId));
    assert.equal(new Set(walked.map((row) => row.queryId)).size, walked.length);
    assert.equal(ours(walked).length, 6);
    for (const row of walked) assert.ok(row.sql.includes('Hex query metadata'), 'only Hex statements are returned');
  });

  test('a wrong password is refused with a clear error that does not contain a password', async () => {
    const wrong = `wrong-${tag}`;
    const bad = createPostgresHistorySource(postgresConnection(env, wrong));
    try {
      await assert.rejects(bad.readPage(window, null, 10), (error: Error) => {
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

  test('a database without the extension gives an error that says what to install', async () => {
    const elsewhere = createPostgresHistorySource({ ...postgresConnection(env), database: otherDatabase });
    try {
      await assert.rejects(elsewhere.readPage(window, null, 10), /CREATE EXTENSION pg_stat_statements/);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('PostgreSQL history source configuration and query', () => {
  test('names a missing key without the password', () => {
    for (const key of ['hostPort', 'username', 'database']) {
      const connection: Record<string, unknown> = {
        type: 'Postgres', hostPort: 'h:5432', username: 'u', database: 'd', authType: { password: 'secret-p' },
      };
      delete connection[key];
      assert.throws(() => createPostgresHistorySource(connection), (error: Error) =>
        error.message.includes(`"${key}"`) && !error.message.includes('secret-p'));
    }
  });

  test('names a key the schema does not know', () => {
    assert.throws(
      () => createPostgresHistorySource({ type: 'Postgres', hostport: 'h:5432', username: 'u', database: 'd' }),
      /unknown key "hostport"/,
    );
  });

  test('splits hostPort in its usual forms', () => {
    assert.deepEqual(readHostPort({ hostPort: 'db.example:6543' }, 'X', 5432), { host: 'db.example', port: 6543 });
    assert.deepEqual(readHostPort({ hostPort: 'db.example' }, 'X', 5432), { host: 'db.example', port: 5432 });
    assert.deepEqual(readHostPort({ hostPort: '[::1]:6543' }, 'X', 5432), { host: '::1', port: 6543 });
    assert.deepEqual(readHostPort({ hostPort: 'https://ch.example:8443/' }, 'X', 8123), { host: 'ch.example', port: 8443 });
    assert.throws(() => readHostPort({ hostPort: 'db:port' }, 'X', 5432), /invalid port/);
  });

  test('refuses unusable settings', () => {
    const base = { type: 'Postgres', hostPort: 'h:5432', username: 'u', database: 'd', authType: { password: 'p' } };
    assert.throws(() => createPostgresHistorySource({ ...base, sslMode: 'sometimes' }), /sslMode/);
    assert.throws(() => createPostgresHistorySource({ ...base, queryStatementSource: 'x; DROP TABLE y' }), /queryStatementSource/);
    assert.throws(() => createPostgresHistorySource({ ...base, hostPort: 'h:99999' }), /invalid port/);
  });

  test('the query is keyset-bounded and limited to the page size; the marker is a parameter', () => {
    const first = pageQuery('pg_stat_statements', true, 'Hex query metadata', null, 5);
    assert.ok(!first.sql.includes('Hex query metadata'));
    assert.deepEqual(first.values, ['Hex query metadata', 5]);
    assert.match(first.sql, /LIMIT \$2$/);
    const next = pageQuery('pg_stat_statements', true, 'Hex', { queryid: '-42', userid: '10', dbid: '5', toplevel: true }, 5);
    assert.match(next.sql, /\(s\.queryid, s\.userid, s\.dbid, s\.toplevel\) > \(\$2::bigint, \$3::oid, \$4::oid, \$5::boolean\)/);
    assert.deepEqual(next.values, ['Hex', '-42', '10', '5', true, 5]);
    assert.throws(() => pageQuery('pg_stat_statements', false, 'Hex', { queryid: '1; --', userid: '1', dbid: '1' }, 5), /cursor/);
  });
});
