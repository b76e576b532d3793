import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from '../../../activities/lineage/dialect';
import { extractTables, MAX_PARSER_CHARS, MAX_SQL_CHARS } from '../../../activities/lineage/extractTables';
import { parseHexComment } from '../../../activities/lineage/hexComment';
import { CORPUS } from './corpus';
import { LINEAGE_CLASSES } from './corpusHelpers';

describe('extractTables over the corpus', () => {
  for (const testCase of CORPUS) {
    it(testCase.name, () => {
      const result = extractTables({
        sql: testCase.sql, dialect: testCase.dialect,
        defaultDatabase: testCase.defaultDatabase, defaultSchema: testCase.defaultSchema,
      });
      assert.deepEqual(result.tables, [...testCase.expected].sort());
      assert.ok(parseHexComment(testCase.sql, testCase.dialect), 'every corpus query carries a Hex comment');
    });
  }

  it('has at least 5 cases per class, each with the rule it checks, over every dialect the class exists in', () => {
    const spread = { intermediate: 6, folding: 4, navigation: 4, bigqueryQualification: 1 };
    for (const lineageClass of LINEAGE_CLASSES) {
      const cases = CORPUS.filter((c) => c.lineageClass === lineageClass);
      assert.ok(cases.length >= 5, lineageClass);
      assert.ok(cases.every((c) => c.rule && c.rule.length > 10), `${lineageClass}: every case names its rule`);
      assert.ok(new Set(cases.map((c) => c.dialect)).size >= spread[lineageClass], `${lineageClass}: dialects`);
    }
  });

  it('covers every dialect with at least 15 cases and at least 150 in all', () => {
    assert.ok(CORPUS.length >= 150);
    for (const dialect of DIALECTS) {
      assert.ok(CORPUS.filter((c) => c.dialect === dialect).length >= 15, dialect);
    }
  });
});

describe('extractTables warnings and fallbacks', () => {
  it('warns when a name cannot be fully qualified', () => {
    const result = extractTables({ sql: 'select * from crm.accounts', dialect: 'snowflake' });
    assert.deepEqual(result.tables, ['CRM.ACCOUNTS']);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /CRM\.ACCOUNTS.*not fully qualified/);
  });

  it('gives no warnings for a clean, fully qualified query', () => {
    const result = extractTables({ sql: 'select * from a.b.c join a.b.d using (id)', dialect: 'trino' });
    assert.deepEqual(result, { tables: ['a.b.c', 'a.b.d'], warnings: [] });
  });

  it('falls back to the token scan with a warning when the parser rejects broken SQL', () => {
    const sql = 'select * from sales.orders o join (select * from sales.refunds r where r.amount > (1 + 2) x on x.id = o.id';
    const result = extractTables({ sql, dialect: 'postgres', defaultDatabase: 'db' });
    assert.deepEqual(result.tables, ['db.sales.orders', 'db.sales.refunds']);
    assert.ok(result.warnings.some((w) => /rejected by the SQL parser/.test(w)));
    assert.ok(result.warnings.some((w) => /unbalanced parentheses/.test(w)));
  });

  it('parser-first: reads with node-sql-parser and drops templated names', () => {
    const sql = 'select * from {{ source_table }} s join shop.items i on i.id = s.id';
    const result = extractTables({ sql, dialect: 'bigquery', defaultDatabase: 'p', strategy: 'parser-first' });
    assert.deepEqual(result.tables, ['p.shop.items']);
    assert.ok(!result.warnings.some((w) => /rejected/.test(w)), 'the parser accepted the statement');
  });

  it('parser-first: falls back to the token scan with a warning when the grammar rejects the statement', () => {
    const sql = 'select * from shop.orders o join shop.items i on i.oid = o.id qualify row_number() over (partition by o.id order by i.id) = 1';
    const result = extractTables({ sql, dialect: 'mysql', strategy: 'parser-first' });
    assert.deepEqual(result.tables, ['shop.items', 'shop.orders']);
    assert.ok(result.warnings.some((w) => /rejected by the SQL parser/.test(w)));
  });

  it('parser-first strategy gives the same answer on plain SQL', () => {
    const sql = 'with x as (select * from raw.a) select * from x join raw.b on x.id = b.id';
    const auto = extractTables({ sql, dialect: 'snowflake', defaultDatabase: 'DB' });
    const parserFirst = extractTables({ sql, dialect: 'snowflake', defaultDatabase: 'DB', strategy: 'parser-first' });
    assert.deepEqual(parserFirst, auto);
    assert.deepEqual(auto.tables, ['DB.RAW.A', 'DB.RAW.B']);
  });

  it('reports a templated table name it cannot resolve', () => {
    const result = extractTables({ sql: 'select * from {{ source_table }} join s.t on true', dialect: 'bigquery', defaultDatabase: 'p' });
    assert.deepEqual(result.tables, ['p.s.t']);
    assert.ok(result.warnings.some((w) => w.includes('{{ source_table }}')));
  });

  it('never throws on odd input', () => {
    for (const dialect of DIALECTS) {
      for (const sql of ['', ';;;', ')))(((', "select 'unterminated", 'select "x', '/* open', 'from', 'select * from', 'with a as', '{{', '$$', 'use']) {
        const result = extractTables({ sql, dialect });
        assert.ok(Array.isArray(result.tables) && Array.isArray(result.warnings));
      }
    }
  });

  it('refuses an unknown dialect', () => {
    assert.throws(() => extractTables({ sql: 'select 1', dialect: 'oracle' as never }), /unknown SQL dialect "oracle"/);
  });

  it('keeps USE scoped to the text it appears in', () => {
    const first = extractTables({ sql: 'use database OTHER; select * from s.t', dialect: 'snowflake' });
    const second = extractTables({ sql: 'select * from s.t', dialect: 'snowflake', defaultDatabase: 'DB' });
    assert.deepEqual(first.tables, ['OTHER.S.T']);
    assert.deepEqual(second.tables, ['DB.S.T']);
  });
});

describe('extractTables time bound', () => {
  const pathological = [
    'select ' + '('.repeat(1400) + '1 from t',
    'select ' + 'coalesce('.repeat(200) + 'a' + ', 1)'.repeat(200) + ' from t)',
    'select * from a ' + 'join b on '.repeat(280),
    'select ' + Array.from({ length: 400 }, (_, i) => `c${i}`).join(' + ') + ' from t where (',
  ];
  for (const [index, sql] of pathological.entries()) {
    it(`finishes pathological statement ${index + 1} (${sql.length} chars) within 250 ms in every dialect`, () => {
      assert.ok(sql.length <= MAX_PARSER_CHARS, 'small enough for the parser to be tried');
      for (const dialect of DIALECTS) {
        const started = performance.now();
        extractTables({ sql, dialect });
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 250, `${dialect}: ${elapsed.toFixed(0)} ms`);
      }
    });
  }

  it('cuts on a token boundary: a name the cut goes through is dropped whole, with a warning', () => {
    const head = 'select * from db1.sch1.kept join ';
    const filler = ' '.repeat(MAX_SQL_CHARS - head.length - 'DB1.SCH1.CU'.length);
    for (const dialect of ['snowflake', 'postgres', 'bigquery'] as const) {
      const result = extractTables({ sql: `${head}${filler}DB1.SCH1.CUSTOMERS on true`, dialect, defaultDatabase: 'd', defaultSchema: 's' });
      assert.equal(result.tables.length, 1, `${dialect}: ${result.tables.join(', ')}`);
      assert.match(result.tables[0], /kept$/i);
      assert.ok(result.warnings.some((w) => /cut to the first 200000; the partial token "DB1\.SCH1\.CU" at the cut is dropped/.test(w)), dialect);
    }
  });

  it('keeps a whole token that ends exactly at the cut', () => {
    const head = 'select * from ';
    const sql = `${head}${' '.repeat(MAX_SQL_CHARS - head.length - 'a.b.c'.length)}a.b.c where x = 1`;
    const result = extractTables({ sql, dialect: 'trino' });
    assert.deepEqual(result.tables, ['a.b.c']);
    assert.ok(result.warnings.some((w) => /cut to the first/.test(w) && !/partial/.test(w)));
  });

  it('Redshift: a connection known to be case sensitive keeps quoted names as written', () => {
    const sql = 'select * from "Sales"."Orders"';
    assert.deepEqual(extractTables({ sql, dialect: 'redshift', defaultDatabase: 'dev' }).tables, ['dev.sales.orders']);
    assert.deepEqual(extractTables({ sql, dialect: 'redshift', defaultDatabase: 'dev', caseSensitiveIdentifiers: true }).tables, ['dev.Sales.Orders']);
  });

  it('cuts text over the size guard and says so', () => {
    const sql = 'select * from s.t where x = ' + '('.repeat(MAX_SQL_CHARS * 2) + ')'.repeat(MAX_SQL_CHARS * 2);
    const started = performance.now();
    const result = extractTables({ sql, dialect: 'postgres', defaultDatabase: 'db' });
    assert.ok(performance.now() - started < 250);
    assert.deepEqual(result.tables, ['db.s.t']);
    assert.ok(result.warnings.some((w) => /cut to the first/.test(w)));
  });
});
