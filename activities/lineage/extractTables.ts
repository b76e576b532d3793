import { isDialect, type Dialect } from './dialect';
import { rulesFor, type DialectRules } from './dialectRules';
import { parserReads } from './parserTables';
import { tokenize, type Token } from './sqlTokens';
import { qualifyName, storedParts, type NameDefaults, type NamePart } from './tableNames';
import { scanStatement, type StatementScan } from './tokenScanner';

export interface ExtractTablesInput {
  sql: string;
  dialect: Dialect;
  /** Database (Snowflake, PostgreSQL, Redshift, MySQL, ClickHouse), project (BigQuery) or catalog in effect. */
  defaultDatabase?: string | null;
  /** Schema (dataset in BigQuery) in effect. */
  defaultSchema?: string | null;
  /**
   * 'auto' (default): the token scan decides and node-sql-parser is consulted only for statements the scan
   * is unsure of; 'parser-first': node-sql-parser for every statement, the token scan when it rejects one.
   */
  strategy?: 'auto' | 'parser-first';
  /** Redshift: `enable_case_sensitive_identifier` is on where the text starts (off by default). */
  caseSensitiveIdentifiers?: boolean;
}

export interface ExtractTablesResult {
  tables: string[];
  warnings: string[];
}

/**
 * Time bound per query. The tokenizer and the scan are single linear passes (about 0.5 µs per character
 * measured on adversarial input: a million nested parentheses took ~570 ms), so text beyond MAX_SQL_CHARS
 * is cut (worst case ~120 ms) with a warning. node-sql-parser costs more (about 30 µs per character) and
 * cannot be interrupted, so it only sees statements of at most MAX_PARSER_CHARS (under 100 ms); a longer
 * statement the parser would have been asked about keeps the token scan's answer, with a warning.
 */
export const MAX_SQL_CHARS = 200_000;
export const MAX_PARSER_CHARS = 3_000;

/**
 * Tokens of the first MAX_SQL_CHARS characters. A token the cut goes through is dropped, together with the
 * dotted name it ends (a cut through `DB1.SCH1.CUSTOMERS` must not leave a table `DB1.SCH1.CU` or `DB1.SCH1`).
 */
function tokensWithinCut(sql: string, rules: DialectRules, warn: (warning: string) => void): Token[] {
  if (sql.length <= MAX_SQL_CHARS) return tokenize(sql, rules);
  const tokens = tokenize(sql.slice(0, MAX_SQL_CHARS), rules);
  const last = tokens[tokens.length - 1];
  // One-character punctuation cannot be cut through; any other token touching the cut may go on past it.
  const cutThrough = last !== undefined && last.kind !== 'punct' && last.end >= MAX_SQL_CHARS && !/\s/.test(sql[MAX_SQL_CHARS]);
  let dropped = '';
  if (cutThrough) {
    let dot = tokens.pop()!.text === '.';
    dropped = last.text;
    for (let top = tokens[tokens.length - 1]; top; top = tokens[tokens.length - 1]) {
      if (top.kind === 'punct' && top.text === '.') dot = true;
      else if (dot && (top.kind === 'word' || top.kind === 'ident')) dot = false;
      else break;
      dropped = top.text + dropped;
      tokens.pop();
    }
  }
  const partial = cutThrough ? `; the partial token "${dropped.slice(0, 60)}" at the cut is dropped` : '';
  warn(`SQL text of ${sql.length} characters cut to the first ${MAX_SQL_CHARS}${partial}`);
  return tokens;
}

function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') {
      if (current.length) statements.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length) statements.push(current);
  return statements;
}

/** Applies `USE ...` to the defaults, as each dialect reads it. */
function applyUse(use: NonNullable<StatementScan['use']>, defaults: NameDefaults, dialect: Dialect, rules: DialectRules): NameDefaults {
  const names = storedParts(use.name, rules);
  const last = names[names.length - 1];
  if (use.kind === 'WAREHOUSE' || use.kind === 'ROLE' || use.kind === 'SECONDARY' || !last) return defaults;
  if (rules.nameParts === 2) return { database: last, schema: defaults.schema };
  if (use.kind === 'CATALOG') return { database: last, schema: null };
  if (names.length >= 2) return { database: names[names.length - 2], schema: last };
  if (dialect === 'snowflake' && use.kind !== 'SCHEMA') return { database: last, schema: 'PUBLIC' };
  if (dialect === 'bigquery' && use.kind !== 'SCHEMA') return { database: last, schema: null };
  return { database: defaults.database, schema: last };
}

function sourceOf(sql: string, statement: Token[]): string {
  return sql.slice(statement[0].start, statement[statement.length - 1].end);
}

/** node-sql-parser cannot read Jinja; a placeholder name keeps the statement's shape and is dropped after. */
const TEMPLATE_PLACEHOLDER = 'hexmeta_template_value';
function withoutTemplates(sql: string): string {
  return sql.replace(/\{\{[\s\S]*?\}\}/g, TEMPLATE_PLACEHOLDER).replace(/\{[%#][\s\S]*?[%#]\}/g, ' ');
}

/** Tables read by `sql`, fully qualified where the defaults allow, deduplicated and sorted. */
export function extractTables(input: ExtractTablesInput): ExtractTablesResult {
  if (!isDialect(input.dialect)) throw new TypeError(`unknown SQL dialect ${JSON.stringify(input.dialect)}`);
  const caseSensitive = (on: boolean): DialectRules => ({ ...rulesFor(input.dialect), quotedFold: on ? 'none' : 'lower' });
  let rules = input.dialect === 'redshift' ? caseSensitive(input.caseSensitiveIdentifiers === true) : rulesFor(input.dialect);
  const warnings: string[] = [];
  const warn = (warning: string) => { if (!warnings.includes(warning)) warnings.push(warning); };
  const sql = input.sql ?? '';
  // Defaults come from the warehouse's own records, so they are already in stored form and used as given.
  let defaults: NameDefaults = { database: input.defaultDatabase || null, schema: input.defaultSchema || null };
  const strategy = input.strategy ?? 'auto';
  const tables = new Set<string>();
  /** Tables and views the text itself created so far: reading one later is not reading the warehouse. */
  const created = new Set<string>();
  const statements = splitStatements(tokensWithinCut(sql, rules, warn));
  statements.forEach((statement, index) => {
    const scan = scanStatement(statement, rules);
    if (scan.use) { defaults = applyUse(scan.use, defaults, input.dialect, rules); return; }
    if (scan.caseSensitiveIdentifiers !== null) {
      if (input.dialect === 'redshift') rules = caseSensitive(scan.caseSensitiveIdentifiers);
      return;
    }
    let reads: NamePart[][] = scan.reads;
    const wantParser = strategy === 'parser-first' || scan.structureUnclear;
    if (wantParser && rules.parserDatabase) {
      const label = statements.length > 1 ? `statement ${index + 1}` : 'statement';
      const text = sourceOf(sql, statement);
      const parsed = text.length <= MAX_PARSER_CHARS ? parserReads(withoutTemplates(text), statement, rules.parserDatabase) : null;
      if (parsed) {
        reads = parsed.filter((parts) => !parts.some((part) => part.text === TEMPLATE_PLACEHOLDER));
      } else {
        const why = text.length > MAX_PARSER_CHARS ? `is over ${MAX_PARSER_CHARS} characters` : 'was rejected by the SQL parser';
        warn(`${label} ${why}; tables found by the tolerant token scan`);
      }
    }
    for (const doubt of scan.doubts) warn(statements.length > 1 ? `statement ${index + 1}: ${doubt}` : doubt);
    for (const parts of reads) {
      const qualified = qualifyName(storedParts(parts, rules), defaults, rules);
      if (created.has(qualified.name)) continue;
      tables.add(qualified.name);
      if (qualified.warning) warn(qualified.warning);
    }
    if (scan.creates) created.add(qualifyName(storedParts(scan.creates, rules), defaults, rules).name);
  });
  return { tables: [...tables].sort(), warnings };
}


