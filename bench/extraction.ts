// What the connector does with each history row (Hex comment, then tables), timed on this one thread.
import { extractTables } from '../activities/lineage/extractTables';
import { parseHexComment } from '../activities/lineage/hexComment';
import type { Dialect } from '../activities/lineage/dialect';

export interface ExtractionSpeed {
  queries: number;
  queriesPerSecond: number;
  slowestMs: number;
}

export function measureExtraction(rows: { sql: string; dialect: Dialect }[]): ExtractionSpeed {
  let queries = 0;
  let slowestMs = 0;
  const started = process.hrtime.bigint();
  for (const row of rows) {
    const before = process.hrtime.bigint();
    if (parseHexComment(row.sql)) {
      extractTables({ sql: row.sql, dialect: row.dialect });
      queries++;
    }
    slowestMs = Math.max(slowestMs, Number(process.hrtime.bigint() - before) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { queries, queriesPerSecond: seconds > 0 ? queries / seconds : 0, slowestMs };
}
