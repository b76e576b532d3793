import type { Dialect } from '../../../activities/lineage/dialect';

/** Classes of SQL that simple scanners get wrong, counted apart by `bench/lineage.ts`. */
export const LINEAGE_CLASSES = ['intermediate', 'folding', 'navigation', 'bigqueryQualification'] as const;
export type LineageClass = (typeof LINEAGE_CLASSES)[number];

export interface CorpusCase {
  name: string;
  sql: string;
  dialect: Dialect;
  defaultDatabase?: string | null;
  defaultSchema?: string | null;
  expected: string[];
  lineageClass?: LineageClass;
  /** The documented warehouse rule the case checks. */
  rule?: string;
}

const CONTEXTS = ['SCHEDULED_RUN', 'APP_VIEW', 'LOGIC_VIEW'];
let counter = 0;

/** A Hex metadata line as Hex writes it: keys in alphabetical order, `", "` and `": "` separators. */
export function hexCommentLine(seed = counter++): string {
  const hex = (n: number) => (n * 2654435761 >>> 0).toString(16).padStart(8, '0');
  const projectId = `${hex(seed + 1)}-${hex(seed + 2).slice(0, 4)}-4${hex(seed + 3).slice(0, 3)}-8${hex(seed + 4).slice(0, 3)}-${hex(seed + 5)}${hex(seed + 6).slice(0, 4)}`;
  const json = {
    categories: seed % 3 === 0 ? [] : ['Finance'],
    cell_type: 'SQL',
    connection: 'Warehouse – prod',
    context: CONTEXTS[seed % CONTEXTS.length],
    project_id: projectId,
    project_name: `Report {${seed}} "weekly"`,
    project_url: `https://app.hex.tech/acme-analytics/hex/${projectId}/draft/logic?selectedCellId=${projectId}`,
    trace_id: `${hex(seed + 7)}${hex(seed + 8)}${hex(seed + 9)}${hex(seed + 10)}`,
    user_email: 'dev.patel@acme.example',
  };
  return `-- Hex query metadata: ${JSON.stringify(json).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "')}`;
}

/** Hex appends its metadata as the last line; ClickHouse keeps only a leading one, so `leading` puts it first. */
export function hexSql(sql: string, leading = false): string {
  const body = sql.trim();
  return leading ? `${hexCommentLine()}\n${body}` : `${body}\n${hexCommentLine()}`;
}

/** Builds cases for one dialect with shared defaults. */
export function casesFor(
  dialect: Dialect,
  defaults: { defaultDatabase?: string | null; defaultSchema?: string | null },
  cases: Array<[name: string, sql: string, expected: string[], overrides?: Partial<CorpusCase>]>,
): CorpusCase[] {
  return cases.map(([name, sql, expected, overrides]) => ({
    name: `${dialect}: ${name}`, dialect, ...defaults,
    sql: hexSql(sql, dialect === 'clickhouse'), expected, ...overrides,
  }));
}
