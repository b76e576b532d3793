import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHexComment } from '../../activities/lineage/hexComment';
import { extractTables } from '../../activities/lineage/extractTables';
import { isFilteredOut } from '../../activities/mapping/filter';
import { DASHBOARD_FILTER, HISTORY_ROWS_PER_PROJECT, makeWorkload, TABLE_COUNT, USER_COUNT, WAREHOUSES } from '../../bench/workload';

const NOW = Date.UTC(2025, 2, 1, 12);
const workload = makeWorkload(1_000, NOW);

test('the same seed gives the same workload', () => {
  const again = makeWorkload(1_000, NOW);
  assert.deepEqual(again.projects.map((p) => [p.id, p.title, p.owner.email]), workload.projects.map((p) => [p.id, p.title, p.owner.email]));
  // Only Hex's per-execution trace ids differ.
  const withoutTraceIds = (rows: typeof workload.history.trino) => rows.slice(0, 50).map((row) => ({ ...row, sql: row.sql.replace(/"trace_id": "\w+"/, '') }));
  assert.deepEqual(withoutTraceIds(again.history.trino), withoutTraceIds(workload.history.trino));
});

test('projects: 2% archived, 5% of titles excluded by the filter pattern, owners among 500 users', () => {
  const archived = workload.projects.filter((p) => p.archivedAt !== null).length;
  assert.equal(archived, 20);
  const active = workload.projects.filter((p) => p.archivedAt === null);
  assert.equal(workload.listed, active.length);
  const filtered = active.filter((p) => isFilteredOut(p.title, { includes: [], ...DASHBOARD_FILTER })).length;
  assert.equal(filtered, 50);
  assert.equal(workload.kept, active.length - filtered);
  const owners = new Set(workload.projects.map((p) => p.owner.email));
  assert.ok(owners.size > 400 && owners.size <= USER_COUNT, `${owners.size} owners`);
  assert.ok(workload.users.length < USER_COUNT, 'some owners have no OpenMetadata account');
  assert.ok(new Set(workload.projects.map((p) => p.status?.name ?? null)).size >= 4);
  assert.ok(workload.projects.some((p) => p.categories.length > 1));
});

test('history: 20 rows per project over three warehouses, a third from Hex, inside the last 7 days', () => {
  const all = WAREHOUSES.flatMap((kind) => workload.history[kind]);
  assert.equal(all.length, 1_000 * HISTORY_ROWS_PER_PROJECT);
  const hex = all.filter((row) => parseHexComment(row.sql) !== null);
  assert.equal(hex.length, Math.ceil(all.length / 3));
  for (const kind of WAREHOUSES) assert.ok(workload.history[kind].length > all.length / 4, kind);
  assert.ok(all.every((row) => row.startedAtMs < NOW && row.startedAtMs > NOW - 7 * 86_400_000));
  assert.equal(new Set(all.map((row) => row.queryId)).size, all.length);
});

test('tables: 5,000 registered, and every table a Hex statement names is one of them', () => {
  assert.equal(WAREHOUSES.reduce((n, kind) => n + workload.tables[kind].length, 0), TABLE_COUNT);
  const dialects = { snowflake: 'snowflake', trino: 'trino', databricks: 'databricks' } as const;
  for (const kind of WAREHOUSES) {
    const registered = new Set(workload.tables[kind].map((fqn) => fqn.slice(fqn.indexOf('.') + 1)));
    const hexRows = workload.history[kind].filter((row) => parseHexComment(row.sql) !== null).slice(0, 200);
    for (const row of hexRows) {
      const { tables } = extractTables({ sql: row.sql, dialect: dialects[kind], defaultDatabase: null, defaultSchema: null });
      assert.ok(tables.length >= 1, row.sql);
      for (const name of tables) assert.ok(registered.has(name), `${kind}: ${name}`);
    }
  }
});
