import type { Dialect } from '../../../activities/lineage/dialect';
import { hexCommentLine } from './corpusHelpers';

/** Texts with the Hex marker and the project id that should be read from them (null: not a Hex query). */
export interface HexCommentCase {
  name: string;
  dialect: Dialect;
  sql: string;
  projectId: string | null;
  /** The rule the case checks. */
  rule: string;
}

const REAL = hexCommentLine(7);
const REAL_ID = (JSON.parse(REAL.slice(REAL.indexOf('{'))) as { project_id: string }).project_id;
const UUID = '3f1c9a2e-7b44-4d1a-9e0b-5c2d8f6a1b73';
const line = (projectId: string) =>
  `-- Hex query metadata: {"cell_type": "SQL", "context": "LOGIC_VIEW", "project_id": ${JSON.stringify(projectId)}, "project_url": "https://app.hex.tech/acme/hex/${projectId}/draft/logic"}`;

export const HEX_COMMENT_CASES: HexCommentCase[] = [
  { name: 'unrendered template project id', dialect: 'snowflake', sql: `select 1\n${line('{{ project_id }}')}`, projectId: null,
    rule: 'a project_id that is still a Jinja template was never rendered by Hex' },
  { name: 'project id with spaces', dialect: 'postgres', sql: `select 1\n${line('not a project')}`, projectId: null,
    rule: 'Hex project ids are UUIDs (or slugs); free text is not one' },
  { name: 'project id with quotes and slashes', dialect: 'bigquery', sql: `select 1\n${line("x'/../y")}`, projectId: null,
    rule: 'Hex project ids are UUIDs (or slugs)' },
  { name: 'slug project id', dialect: 'trino', sql: `select 1\n${line('weekly-revenue_2')}`, projectId: 'weekly-revenue_2',
    rule: 'a slug (letters, digits, - and _) is a valid project id' },
  { name: 'marker inside a multi-line string', dialect: 'postgres', sql: `select '\n${line(UUID)}\n' as s from t`, projectId: null,
    rule: 'PostgreSQL string constants may span lines; text inside one is not a comment' },
  { name: 'marker inside a dollar-quoted string', dialect: 'postgres', sql: `select $body$\n${line(UUID)}\n$body$ as s`, projectId: null,
    rule: 'PostgreSQL dollar-quoted string constants hold any text, comment markers included' },
  { name: 'marker inside a triple-quoted string', dialect: 'bigquery', sql: `select """\n${line(UUID)}\n""" as s`, projectId: null,
    rule: 'BigQuery triple-quoted strings may span lines' },
  { name: 'marker after a backslash-escaped quote', dialect: 'mysql', sql: `select 'it\\'s\n${line(UUID)}\n' as s`, projectId: null,
    rule: 'MySQL: backslash escapes a quote inside a string, so the string goes on' },
  { name: 'marker in a quoted identifier', dialect: 'snowflake', sql: `select 1 as "\n${line(UUID)}\n"`, projectId: null,
    rule: 'Snowflake: a double-quoted identifier is not a comment either' },
  { name: 'real comment after a string holding the marker', dialect: 'redshift', sql: `${REAL}\nselect '\n${line('ffffffff-7b44-4d1a-9e0b-5c2d8f6a1b73')}\n' as s`,
    projectId: REAL_ID, rule: 'a leading real comment is Hex\'s; a later marker line inside a string is ignored' },
];
