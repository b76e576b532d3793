/**
 * Lineage extraction benchmark over the shared corpus: precision, recall and exact match of our extractor
 * (default 'auto' strategy and 'parser-first') against plain node-sql-parser `tableList`, plus queries/second
 * on one core. Run: `npx tsx bench/lineage.ts [--seconds N]`.
 */
import type { Dialect } from '../activities/lineage/dialect';
import { rulesFor } from '../activities/lineage/dialectRules';
import { extractTables } from '../activities/lineage/extractTables';
import { parseHexComment } from '../activities/lineage/hexComment';
import { parserTableList } from '../activities/lineage/parserTables';
import { qualifyName, storedParts } from '../activities/lineage/tableNames';
import { CORPUS, type CorpusCase } from '../test/unit/lineage/corpus';
import { LINEAGE_CLASSES } from '../test/unit/lineage/corpusHelpers';
import { HEX_COMMENT_CASES } from '../test/unit/lineage/corpusHexComments';

type Extractor = (c: CorpusCase) => string[];

const ours: Extractor = (c) => extractTables({
  sql: c.sql, dialect: c.dialect, defaultDatabase: c.defaultDatabase, defaultSchema: c.defaultSchema,
}).tables;

const oursParserFirst: Extractor = (c) => extractTables({
  sql: c.sql, dialect: c.dialect, defaultDatabase: c.defaultDatabase, defaultSchema: c.defaultSchema, strategy: 'parser-first',
}).tables;

/**
 * node-sql-parser's own answer: the `select::db::table` entries of `tableList`, with the same case folding
 * and default qualification applied so that only which tables were found is compared, not their spelling.
 */
const baseline: Extractor = (c) => {
  const rules = rulesFor(c.dialect);
  const list = parserTableList(c.sql, rules.parserDatabase ?? 'mysql') ?? [];
  const names = new Set<string>();
  for (const entry of list) {
    const [kind, db, table] = entry.split('::');
    if (kind !== 'select') continue;
    const parts = [...(db && db !== 'null' ? db.split('.') : []), table].map((text) => ({ text, quoted: false }));
    names.add(qualifyName(storedParts(parts, rules), { database: c.defaultDatabase ?? null, schema: c.defaultSchema ?? null }, rules).name);
  }
  return [...names].sort();
};

interface Score { precision: number; recall: number; exact: number; failures: string[] }

function score(extract: Extractor): Score {
  let truePositives = 0; let predicted = 0; let expected = 0; let exact = 0;
  const failures: string[] = [];
  for (const c of CORPUS) {
    const got = new Set(extract(c));
    const want = new Set(c.expected);
    predicted += got.size; expected += want.size;
    let hits = 0;
    for (const name of got) if (want.has(name)) hits++;
    truePositives += hits;
    if (hits === want.size && got.size === want.size) exact++;
    else failures.push(c.name);
  }
  return {
    precision: predicted ? truePositives / predicted : 1, recall: expected ? truePositives / expected : 1,
    exact: exact / CORPUS.length, failures,
  };
}

function throughput(extract: Extractor, seconds: number): number {
  for (const c of CORPUS) extract(c); // warm-up: grammar loading and JIT
  const deadline = performance.now() + seconds * 1000;
  let queries = 0;
  const started = performance.now();
  while (performance.now() < deadline) {
    for (const c of CORPUS) extract(c);
    queries += CORPUS.length;
  }
  return queries / ((performance.now() - started) / 1000);
}

/**
 * Cases of each class the extractor got right before these classes had rules of their own, measured by running
 * this corpus against the extractor at commit fd0e909.
 */
const BEFORE: Record<string, number> = { intermediate: 0, folding: 1, navigation: 8, bigqueryQualification: 0, hexComment: 1 };

/** Right answers per class, now, beside the recorded figure from before. */
function classCounts(): void {
  const rows: Array<[string, number, number]> = LINEAGE_CLASSES.map((lineageClass) => {
    const cases = CORPUS.filter((c) => c.lineageClass === lineageClass);
    const wrong = cases.filter((c) => JSON.stringify(ours(c)) !== JSON.stringify([...c.expected].sort()));
    if (process.argv.includes('--verbose')) for (const c of wrong) console.log(`    wrong (${lineageClass}): ${c.name} -> ${ours(c).join(', ')}`);
    const right = cases.length - wrong.length;
    return [lineageClass, right, cases.length];
  });
  const hexRight = HEX_COMMENT_CASES.filter((c) =>
    ((parseHexComment as (sql: string, dialect?: Dialect) => { projectId: string } | null)(c.sql, c.dialect)?.projectId ?? null) === c.projectId).length;
  rows.push(['hexComment', hexRight, HEX_COMMENT_CASES.length]);
  console.log(`${'class'.padEnd(24)} before    after`);
  for (const [name, right, total] of rows) {
    console.log(`${name.padEnd(24)} ${`${BEFORE[name]}/${total}`.padStart(6)}  ${`${right}/${total}`.padStart(7)}`);
  }
}

/** Long and hostile texts: a statement over the size guard, the Hex marker repeated through 5 MB. */
const HOSTILE: Array<{ sql: string; dialect: Dialect }> = [
  { sql: `select * from s.t where x in (${'1, '.repeat(150_000)}1)`, dialect: 'postgres' },
  { sql: `select 1 -- Hex query metadata: {"project_id": "x"} `.repeat(100_000), dialect: 'snowflake' },
  { sql: '-- Hex query metadata: {"project_id": "{{ project_id }}"}\n'.repeat(90_000), dialect: 'bigquery' },
];

/** Slowest single query (Hex comment, then tables, as the worker does) over the corpus and the hostile texts. */
function slowestMs(): { ms: number; name: string } {
  let slowest = { ms: 0, name: '' };
  const rows = [...CORPUS.map((c) => ({ sql: c.sql, dialect: c.dialect, name: c.name })),
    ...HOSTILE.map((h, i) => ({ ...h, name: `hostile ${i + 1} (${h.sql.length} chars)` }))];
  for (const row of rows) {
    const started = performance.now();
    if ((parseHexComment as (sql: string, dialect?: Dialect) => unknown)(row.sql, row.dialect) || row.name.startsWith('hostile')) {
      extractTables({ sql: row.sql, dialect: row.dialect });
    }
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, name: row.name };
  }
  return slowest;
}

function main(): void {
  const secondsFlag = process.argv.indexOf('--seconds');
  const seconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 2;
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(7);
  console.log(`corpus: ${CORPUS.length} queries, ${new Set(CORPUS.map((c) => c.dialect)).size} dialects`);
  console.log(`${'extractor'.padEnd(38)} precision  recall   exact  queries/s`);
  const rows: Array<[string, Extractor]> = [
    ['hexmeta extractTables (auto)', ours],
    ['hexmeta extractTables (parser-first)', oursParserFirst],
    ['node-sql-parser tableList', baseline],
  ];
  for (const [label, extract] of rows) {
    const result = score(extract);
    const rate = throughput(extract, seconds);
    console.log(`${label.padEnd(38)} ${percent(result.precision)} ${percent(result.recall)} ${percent(result.exact)}  ${rate.toFixed(0).padStart(9)}`);
    if (process.argv.includes('--verbose')) for (const name of result.failures) console.log(`    not exact: ${name}`);
  }
  const slowest = slowestMs();
  console.log(`slowest query: ${slowest.ms.toFixed(1)} ms (${slowest.name})`);
  classCounts();
}

main();
