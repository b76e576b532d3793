import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addRow, newNames, type NamedTables, type WaitingProject } from '../../activities/edges/waitingRows';

const named = (sql: string, ...names: string[]): NamedTables => new Map(names.map((name) => [name, { name, database: null, sql, rows: 1 }]));

test('a project keeps one SQL per table name and counts the rows naming it', () => {
  const waiting = new Map<string, WaitingProject>();
  const first = addRow(waiting, 'p1', named('select * from a join b', 'a', 'b'));
  assert.equal(first.added, 2);
  // The row's SQL is held once for all its new names.
  assert.equal(first.bytes, 'select * from a join b'.length + 2 * (1 + 96));
  assert.equal(newNames(waiting, 'p1', named('x', 'a', 'c')), 1);
  assert.equal(newNames(waiting, 'p2', named('x', 'a', 'c')), 2);
  const second = addRow(waiting, 'p1', named('select * from a', 'a'));
  assert.deepEqual(second, { added: 0, bytes: 0 });
  const project = waiting.get('p1')!;
  assert.equal(project.rows, 2);
  assert.equal(project.tables.get('a')!.rows, 2);
  assert.equal(project.tables.get('a')!.sql, 'select * from a join b', 'the first SQL naming a table is the one kept');
  assert.equal(project.bytes, first.bytes);
});
