import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { Client } from 'pg';
import { createRedshiftHistorySource } from '../../activities/warehouses/redshift';
import type { HistoryRow, HistoryWindow, QueryHistorySource } from '../../activities/warehouses/types';
import { walkHistory } from '../support/databases';

/*
 * Runs against the real local PostgreSQL (scripts/services/start-databases.sh, env in
 * /tmp/hexmeta-services/env.sh or PG_* variables). Look-alike Redshift system tables live in a schema of
 * their own; a small proxy between the source and PostgreSQL records the SQL and bind values on the wire.
 */

const SCHEMA = `hexmeta_redshift_${process.pid}`;
const WINDOW: HistoryWindow = { start: '2024-05-01T00:00:00.000Z', end: '2024-05-02T00:00:00.000Z' };
const MARKER_COMMENT = (project: string) => `-- Hex query metadata: {"project_id": "${project}", "context": "LOGIC"}`;

interface PgEnv { host: string; port: number; user: string; password: string; database: string }

function pgEnv(): PgEnv {
  const vars: Record<string, string | undefined> = { ...process.env };
  const file = '/tmp/hexmeta-services/env.sh';
  if (!vars.PG_HOST && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^(?:export\s+)?(PG_[A-Z]+)=['"]?([^'"]*)['"]?\s*$/.exec(line.trim());
      if (match) vars[match[1]] = match[2];
    }
  }
  if (!vars.PG_HOST) throw new Error('PostgreSQL is not running: start scripts/services/start-databases.sh or set PG_*');
  return {
    host: vars.PG_HOST, port: Number(vars.PG_PORT ?? 5432), user: vars.PG_USER ?? 'postgres',
    password: vars.PG_PASSWORD ?? '', database: vars.PG_DATABASE ?? 'postgres',
  };
}

/** Forwards bytes to PostgreSQL and decodes the frontend's Parse and Bind messages. */
class WireRecorder {
  readonly statements: { sql: string; params: (string | null)[] }[] = [];
  private server = net.createServer((socket) => this.relay(socket));
  constructor(private readonly target: PgEnv) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(socket: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    let pending = Buffer.alloc(0);
    let startupSeen = false;
    socket.on('data', (data) => {
      upstream.write(data);
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const header = startupSeen ? 5 : 4;
        if (pending.length < header) break;
        const length = startupSeen ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
        if (pending.length < length) break;
        if (startupSeen) this.decode(pending.subarray(0, length));
        startupSeen = true;
        pending = pending.subarray(length);
      }
    });
    upstream.on('data', (data) => socket.write(data));
    socket.on('close', () => upstream.end());
    upstream.on('close', () => socket.end());
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  }

  private decode(message: Buffer): void {
    const type = String.fromCharCode(message[0]);
    let offset = 5;
    const cstring = () => {
      const end = message.indexOf(0, offset);
      const text = message.toString('utf8', offset, end);
      offset = end + 1;
      return text;
    };
    if (type === 'P') {
      cstring();
      this.statements.push({ sql: cstring(), params: [] });
    } else if (type === 'B') {
      cstring();
      cstring();
      const formatCount = message.readInt16BE(offset);
      offset += 2 + 2 * formatCount;
      const paramCount = message.readInt16BE(offset);
      offset += 2;
      const params: (string | null)[] = [];
      for (let index = 0; index < paramCount; index += 1) {
        const length = message.readInt32BE(offset);
        offset += 4;
        params.push(length < 0 ? null : message.toString('utf8', offset, offset + length));
        if (length > 0) offset += length;
      }
      const last = this.statements[this.statements.length - 1];
      if (last) last.params = params;
    }
  }
}

function escaped(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Redshift stores statement text escaped, in fixed-width CHAR chunks. */
function chunksOf(sql: string, width: number): string[] {
  const text = escaped(sql);
  const chunks: string[] = [];
  for (let index = 0; index < text.length; index += width) chunks.push(text.slice(index, index + width));
  return chunks;
}

interface Seed { id: number; start: string; sql: string; ok?: boolean; database?: string }

async function seed(db: Client, family: 'sys' | 'stl', seeds: Seed[]): Promise<void> {
  for (const s of seeds) {
    const width = family === 'sys' ? 4000 : 200;
    if (family === 'sys') {
      await db.query(`INSERT INTO ${SCHEMA}.sys_query_history
        (user_id, query_id, database_name, status, start_time, query_text) VALUES (100, $1, $2, $3, $4, $5)`,
      [s.id, s.database ?? 'analytics', s.ok === false ? 'failed' : 'success', s.start, s.sql.slice(0, 4000)]);
    } else {
      await db.query(`INSERT INTO ${SCHEMA}.stl_query
        (userid, query, database, querytxt, starttime, aborted) VALUES (100, $1, $2, $3, $4, $5)`,
      [s.id, s.database ?? 'analytics', s.sql.slice(0, 4000), s.start, s.ok === false ? 1 : 0]);
    }
    const table = family === 'sys' ? 'sys_query_text' : 'stl_querytext';
    const idColumn = family === 'sys' ? 'query_id' : 'query';
    for (const [sequence, text] of chunksOf(s.sql, width).entries()) {
      await db.query(`INSERT INTO ${SCHEMA}.${table} (${idColumn}, sequence, text) VALUES ($1, $2, $3)`, [s.id, sequence, text]);
    }
  }
}

/** A statement whose (escaped) marker starts `markerAt` characters in. */
function paddedStatement(project: string, markerAt: number): string {
  const head = 'SELECT o.id\nFROM analytics.orders o\nWHERE o.note = \'';
  const tail = `'\n${MARKER_COMMENT(project)}`;
  const fill = markerAt - escaped(head).length - escaped(tail).indexOf('Hex query metadata');
  return `${head}${'x'.repeat(fill)}${tail}`;
}

function scenario(width: number): { seeds: Seed[]; expected: string[] } {
  // Over 4,000 characters, and its marker straddles a chunk boundary: "Hex " | "query metadata" (the blank is lost to CHAR padding).
  const boundary = width * Math.ceil(4001 / width);
  const long = paddedStatement('p-long', boundary - 'Hex '.length);
  const seeds: Seed[] = [
    { id: 11, start: '2024-05-01 08:00:00.000001', sql: `SELECT 1\n${MARKER_COMMENT('p1')}` },
    { id: 12, start: '2024-05-01 08:00:00.000001', sql: `SELECT 2 FROM t\n${MARKER_COMMENT('p2')}` },
    { id: 10, start: '2024-05-01 08:00:00.000002', sql: long },
    { id: 13, start: '2024-05-01 09:00:00', sql: 'SELECT 3 -- not from Hex' },
    { id: 14, start: '2024-05-01 10:00:00', sql: `SELECT 4 FROM broken\n${MARKER_COMMENT('p4')}`, ok: false },
    { id: 15, start: '2024-05-01 11:00:00', sql: `SELECT \\d, 5 FROM t\n${MARKER_COMMENT('p5')}` },
    { id: 16, start: '2024-04-30 23:59:59.999999', sql: `SELECT 6\n${MARKER_COMMENT('p6')}` },
    { id: 17, start: '2024-05-02 00:00:00', sql: `SELECT 7\n${MARKER_COMMENT('p7')}` },
    { id: 18, start: '2024-05-01 23:59:59.999999', sql: `SELECT 8\n${MARKER_COMMENT('p8')}` },
  ];
  return { seeds, expected: ['11', '12', '10', '15', '18'] };
}

let env: PgEnv;
let admin: Client;
let recorder: WireRecorder;
let proxyPort: number;

before(async () => {
  env = pgEnv();
  admin = new Client(env);
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${SCHEMA}.sys_query_history (user_id integer, query_id bigint, transaction_id bigint,
    session_id integer, database_name character(128), query_type character(32), status character(10),
    start_time timestamp, end_time timestamp, query_text character(4000))`);
  await admin.query(`CREATE TABLE ${SCHEMA}.sys_query_text (user_id integer, query_id bigint, transaction_id bigint,
    session_id integer, start_time timestamp, sequence integer, text character(4000))`);
  await admin.query(`CREATE TABLE ${SCHEMA}.stl_query (userid integer, query integer, label character(320), xid bigint,
    pid integer, database character(32), querytxt character(4000), starttime timestamp, endtime timestamp,
    aborted integer, insert_pristine integer, concurrency_scaling_status integer)`);
  await admin.query(`CREATE TABLE ${SCHEMA}.stl_querytext (userid integer, xid bigint, pid integer, query integer,
    sequence integer, text character(200))`);
  recorder = new WireRecorder(env);
  proxyPort = await recorder.listen();
});

after(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin?.end();
  await recorder?.close();
});

function source(family: 'sys' | 'stl', password = env.password, username = env.user): QueryHistorySource {
  return createRedshiftHistorySource(
    { type: 'Redshift', hostPort: `127.0.0.1:${proxyPort}`, username, authType: { password }, database: env.database, sslMode: 'disable' },
    { queryHistory: { tables: family, systemSchema: SCHEMA } },
  );
}

function walk(history: QueryHistorySource): Promise<{ rows: HistoryRow[]; pages: number }> {
  return walkHistory<HistoryRow>(history, WINDOW, 2, 20);
}

for (const family of ['sys', 'stl'] as const) {
  test(`${family}: pages through every Hex statement of the window exactly once, text intact`, async () => {
    const width = family === 'sys' ? 4000 : 200;
    const { seeds, expected } = scenario(width);
    await admin.query(`TRUNCATE ${SCHEMA}.sys_query_history, ${SCHEMA}.sys_query_text, ${SCHEMA}.stl_query, ${SCHEMA}.stl_querytext`);
    await seed(admin, family, seeds);
    recorder.statements.length = 0;
    const history = source(family);
    try {
      const { rows, pages } = await walk(history);
      assert.deepEqual(rows.map((row) => row.queryId), expected);
      assert.equal(pages, 3);
      const byId = new Map(seeds.map((s) => [String(s.id), s.sql]));
      for (const row of rows) assert.equal(row.sql, byId.get(row.queryId), `text of ${row.queryId}`);
      const long = rows.find((row) => row.queryId === '10');
      assert.ok(long && long.sql.length > 4000 && long.sql.endsWith(MARKER_COMMENT('p-long')));
      assert.equal(rows[0].startedAt, '2024-05-01T08:00:00.000Z');
      assert.equal(rows[0].defaultDatabase, 'analytics');
      assert.equal(rows[0].defaultSchema, null);
    } finally {
      await history.close();
    }
    const pageQueries = recorder.statements.filter((s) => s.sql.includes('ORDER BY h.'));
    assert.equal(pageQueries.length, 3);
    assert.deepEqual(pageQueries[0].params, ['2024-05-01 00:00:00.000', '2024-05-02 00:00:00.000', '%Hex query metadata%']);
    assert.deepEqual(pageQueries[1].params.slice(3), ['2024-05-01 08:00:00.000001', '12']);
    assert.deepEqual(pageQueries[2].params.slice(3), ['2024-05-01 11:00:00.000000', '15']);
    const names = family === 'sys'
      ? { h: 'sys_query_history', t: 'sys_query_text', id: 'query_id', st: 'start_time', db: 'database_name', ok: "h.status = 'success'" }
      : { h: 'stl_query', t: 'stl_querytext', id: 'query', st: 'starttime', db: 'database', ok: 'h.aborted = 0' };
    assert.equal(pageQueries[0].sql, `SELECT h.${names.id}::varchar AS query_id,
  TO_CHAR(h.${names.st}, 'YYYY-MM-DD HH24:MI:SS.US') AS start_time,
  TRIM(h.${names.db}) AS database_name
FROM "${SCHEMA}".${names.h} h
WHERE h.${names.st} >= $1::timestamp AND h.${names.st} < $2::timestamp
  AND ${names.ok}
  AND h.${names.id} IN (
    SELECT t.${names.id} FROM "${SCHEMA}".${names.t} t
    LEFT JOIN "${SCHEMA}".${names.t} n ON n.${names.id} = t.${names.id} AND n.sequence = t.sequence + 1
    WHERE RPAD(t.text, ${width}) || COALESCE(LEFT(n.text, 17), '') LIKE $3
  )
ORDER BY h.${names.st}, h.${names.id}
LIMIT 2`);
    assert.ok(pageQueries[1].sql.includes(
      `AND (h.${names.st} > $4::timestamp OR (h.${names.st} = $4::timestamp AND h.${names.id} > $5::bigint))`));
    const chunkQuery = recorder.statements.find((s) => s.sql.includes(`ORDER BY t.${names.id}, t.sequence`));
    assert.deepEqual(chunkQuery?.params, ['11', '12']);
  });
}

test('a wrong password is reported clearly and without the secret', async () => {
  const secret = 'S3cret-Wrong-Pa55word';
  const history = source('sys', secret, 'hexmeta_no_such_user');
  try {
    await assert.rejects(history.readPage(WINDOW, null, 2), (error: Error & { type?: string }) => {
      assert.match(error.message, /Redshift rejected the credentials/);
      assert.equal(error.type, 'WarehouseAuthenticationError');
      assert.ok(!error.message.includes(secret));
      assert.ok(!JSON.stringify(error).includes(secret));
      return true;
    });
  } finally {
    await history.close();
  }
});
