import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHexComment, stripHexComment } from '../../../activities/lineage/hexComment';
import { HEX_COMMENT_CASES } from './corpusHexComments';

const FINANCE = '-- Hex query metadata: {"categories": ["Finance"], "cell_type": "SQL", "connection": "Snowflake – Analytics", "context": "SCHEDULED_RUN", "project_id": "3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73", "project_name": "Weekly Revenue Review", "project_url": "https://app.hex.tech/acme-analytics/hex/3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73/draft/logic?selectedCellId=0d9c2b7e-51a8-4f3e-a2c6-7e41b9d05f18", "status": "Approved", "trace_id": "4be0a1c9d27f4e6b8a53c0f19e2d7a64", "user_email": "dev.patel@acme.example"}';
const APP = '-- Hex query metadata: {"categories": [], "cell_type": "SQL", "connection": "Snowflake – Analytics", "context": "APP_VIEW", "project_id": "b81e4d07-2c9f-4a55-8d36-0f7e21ac94d2", "project_name": "Churned Accounts", "project_url": "https://app.hex.tech/acme-analytics/app/b81e4d07-2c9f-4a55-8d36-0f7e21ac94d2/latest", "trace_id": "a0c57e2913d84bf6b1e07d3c58f2946e", "user_email": "maria.lopez@acme.example"}';

describe('parseHexComment', () => {
  it('reads every field of a trailing comment', () => {
    const meta = parseHexComment(`select region from analytics.finance.fct_invoices group by 1\n${FINANCE}`);
    assert.deepEqual(meta, {
      projectId: '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73', workspace: 'acme-analytics', context: 'SCHEDULED_RUN',
      cellType: 'SQL', userEmail: 'dev.patel@acme.example', projectName: 'Weekly Revenue Review',
      connection: 'Snowflake – Analytics', traceId: '4be0a1c9d27f4e6b8a53c0f19e2d7a64', categories: ['Finance'],
      status: 'Approved',
    });
  });

  it('takes the workspace from an /app/ url and leaves a missing status null', () => {
    const meta = parseHexComment(`select 1\n${APP}\n`);
    assert.equal(meta?.workspace, 'acme-analytics');
    assert.equal(meta?.status, null);
    assert.deepEqual(meta?.categories, []);
  });

  it('accepts a single-tenant host', () => {
    const line = '-- Hex query metadata: {"project_id": "p1", "project_url": "https://hex.acme-corp.example/ops/hex/p1/draft/logic"}';
    assert.equal(parseHexComment(`select 1\n${line}`)?.workspace, 'ops');
  });

  it('parses titles with braces and escaped quotes', () => {
    const line = '-- Hex query metadata: {"project_id": "p2", "project_name": "Campaign \\"Spring\\" {ROI}}", "project_url": "https://app.hex.tech/w/hex/p2"}';
    const meta = parseHexComment(`select 1\n${line}`);
    assert.equal(meta?.projectName, 'Campaign "Spring" {ROI}}');
  });

  it('finds a leading comment (servers that drop trailing comments)', () => {
    assert.equal(parseHexComment(`${APP}\nselect * from t`)?.projectId, 'b81e4d07-2c9f-4a55-8d36-0f7e21ac94d2');
  });

  it('prefers the last comment line', () => {
    assert.equal(parseHexComment(`${APP}\nselect 1\n${FINANCE}`)?.projectId, '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73');
  });

  it('falls back to an earlier line when the last is malformed', () => {
    const broken = '-- Hex query metadata: {"project_id": "x", ';
    assert.equal(parseHexComment(`${APP}\nselect 1\n${broken}`)?.projectId, 'b81e4d07-2c9f-4a55-8d36-0f7e21ac94d2');
  });

  it('returns null for malformed JSON, no project_id, or no comment', () => {
    assert.equal(parseHexComment('select 1\n-- Hex query metadata: {"project_id": "x",}'), null);
    assert.equal(parseHexComment('select 1\n-- Hex query metadata: {"project_name": "x"}'), null);
    assert.equal(parseHexComment('select 1\n-- Hex query metadata: ["project_id"]'), null);
    assert.equal(parseHexComment('select 1 -- some other comment'), null);
  });

  it('ignores the marker when it is not a whole line', () => {
    assert.equal(parseHexComment(`select '${FINANCE}' as s`), null);
  });

  it('gives a null workspace for an unknown url form', () => {
    const line = '-- Hex query metadata: {"project_id": "p3", "project_url": "https://app.hex.tech/projects/p3"}';
    assert.equal(parseHexComment(line)?.workspace, null);
  });
});

describe('stripHexComment', () => {
  it('removes the comment lines and keeps the SQL', () => {
    assert.equal(stripHexComment(`${APP}\nselect 1\n${FINANCE}`), '\nselect 1\n');
    assert.equal(stripHexComment('select 2'), 'select 2');
  });
});

describe('parseHexComment on texts that only look like Hex queries', () => {
  for (const c of HEX_COMMENT_CASES) {
    it(`${c.dialect}: ${c.name} (${c.rule})`, () => {
      assert.equal(parseHexComment(c.sql, c.dialect)?.projectId ?? null, c.projectId);
    });
  }

  it('has at least 5 cases and spans several dialects', () => {
    assert.ok(HEX_COMMENT_CASES.length >= 5);
    assert.ok(new Set(HEX_COMMENT_CASES.map((c) => c.dialect)).size >= 4);
  });

  it('leaves a marker line inside a string in place when stripping', () => {
    const sql = `select '\n${APP}\n' as s\n${FINANCE}`;
    assert.equal(stripHexComment(sql, 'postgres'), `select '\n${APP}\n' as s\n`);
  });
});

describe('parseHexComment time', () => {
  const invalid = '-- Hex query metadata: {"project_id": "{{ project_id }}", "project_name": "x"}\n';
  const oneLine = `select 1 ${FINANCE.slice(0, 60)} `;
  /** Median of three timings of parse and strip over about `bytes` of `unit` repeated. */
  function time(unit: string, bytes: number): number {
    const text = unit.repeat(Math.ceil(bytes / unit.length));
    const runs = [0, 1, 2].map(() => {
      const started = performance.now();
      parseHexComment(text);
      stripHexComment(text);
      return performance.now() - started;
    });
    return runs.sort((a, b) => a - b)[1];
  }

  for (const [label, unit] of [['marker lines that all fail to parse', invalid], ['markers repeated on one line', oneLine]] as const) {
    it(`is linear: ${label}`, () => {
      const small = time(unit, 1_000_000);
      const large = time(unit, 4_000_000);
      // Quadratic work would make 4 MB take about 16 times as long as 1 MB; linear work about 4 times.
      assert.ok(large < Math.max(small, 2) * 8, `1 MB ${small.toFixed(1)} ms, 4 MB ${large.toFixed(1)} ms`);
      assert.ok(time(unit, 5_000_000) < 1000, '5 MB well under a second');
    });
  }
});
