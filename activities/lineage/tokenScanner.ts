import type { DialectRules } from './dialectRules';
import { foldIdentifier } from './dialectRules';
import { readName } from './nameReader';
import type { Token } from './sqlTokens';
import type { NamePart } from './tableNames';

/** What one statement reads, as written, plus anything that made the scan unsure. */
export interface StatementScan {
  reads: NamePart[][];
  /** `USE ...` statement: the kind keyword (DATABASE, SCHEMA, CATALOG, '' for none) and the name. */
  use: { kind: string; name: NamePart[] } | null;
  /** Table or view the statement creates (`CREATE TABLE/VIEW x`, `SELECT ... INTO x`), as written. */
  creates: NamePart[] | null;
  /** Redshift `SET/RESET enable_case_sensitive_identifier`: the value it leaves in effect. */
  caseSensitiveIdentifiers: boolean | null;
  /** Reasons the token scan may be wrong (unbalanced brackets, templated table names, ...). */
  doubts: string[];
  /** The statement's structure is unclear, so a full SQL parser may read it better. */
  structureUnclear: boolean;
}

interface Frame {
  /** FROM inside function arguments (EXTRACT(x FROM y), TRIM(...)) does not start a table list. */
  honorsFrom: boolean;
  inTableList: boolean;
  expectTable: boolean;
  /** CTE names defined at this level (lower-cased); null until the first one. */
  ctes: Set<string> | null;
  /** CTE whose body this frame is, registered in the parent when the body closes. */
  cteBodyOf: { name: string; owner: Frame } | null;
  withState: 'none' | 'name' | 'afterName' | 'body' | 'afterBody';
  withRecursive: boolean;
  pendingCte: string | null;
}

const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE']);
const TABLE_LIST_ENDS = new Set([
  'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'MINUS',
  'SET', 'RETURNING', 'SELECT', 'VALUES', 'FETCH', 'OFFSET', 'PREWHERE', 'SETTINGS', 'FORMAT', 'CONNECT',
  'START', 'WHEN', 'DISTRIBUTE', 'SORT', 'CLUSTER', 'INTO', 'LATERAL_VIEW',
]);
/** Words that start a clause, so never name a write target. */
const CLAUSE_STARTS = new Set(['FROM', 'SELECT', 'WITH', 'VALUES', 'SET', 'USING', 'WHERE', 'AS', 'ON', 'FORMAT']);
/** Words that precede a parenthesis without making it a function call. */
const NON_FUNCTION_WORDS = new Set([
  'IN', 'EXISTS', 'AS', 'FROM', 'JOIN', 'ON', 'AND', 'OR', 'NOT', 'WHERE', 'SELECT', 'UNION', 'ALL', 'ANY', 'SOME',
  'THEN', 'ELSE', 'WHEN', 'INTERSECT', 'EXCEPT', 'MINUS', 'DISTINCT', 'LATERAL', 'USING', 'RECURSIVE', 'MATERIALIZED',
]);
/** Words that can sit in a table position without being the table. */
const TABLE_PREFIXES = new Set(['LATERAL', 'ONLY', 'TABLE', 'GLOBAL']);
/** Words before INTO that make it a write into an existing table. */
const INTO_WRITERS = new Set(['INSERT', 'MERGE', 'REPLACE', 'IGNORE', 'OVERWRITE']);
/** Words between INTO/TABLE and the target's name. */
const TARGET_PREFIXES = new Set(['TABLE', 'IF', 'NOT', 'EXISTS', 'ONLY', 'TEMP', 'TEMPORARY', 'UNLOGGED']);
const NO_READ_STATEMENTS = new Set([
  'SHOW', 'DESCRIBE', 'DESC', 'DROP', 'ALTER', 'GRANT', 'REVOKE', 'TRUNCATE', 'COMMIT', 'ROLLBACK',
  'CALL', 'COMMENT', 'ANALYZE', 'VACUUM', 'OPTIMIZE', 'REFRESH', 'PUT', 'GET', 'REMOVE', 'LIST',
]);

function newFrame(honorsFrom: boolean, ctes: Set<string> | null = null): Frame {
  return {
    honorsFrom, inTableList: false, expectTable: false, ctes, cteBodyOf: null,
    withState: 'none', withRecursive: false, pendingCte: null,
  };
}

/** Scans one statement's tokens (no `;` inside) for the tables it reads. Linear in the token count. */
export function scanStatement(tokens: Token[], rules: DialectRules): StatementScan {
  const scan: StatementScan = { reads: [], use: null, creates: null, caseSensitiveIdentifiers: null, doubts: [], structureUnclear: false };
  if (tokens.length === 0) return scan;
  const first = tokens[0].upper;
  if (tokens[0].kind === 'word' && NO_READ_STATEMENTS.has(first)) return scan;
  if ((first === 'SET' || first === 'RESET') && tokens[1]?.upper === 'ENABLE_CASE_SENSITIVE_IDENTIFIER') {
    const value = tokens[first === 'SET' ? 3 : -1]?.text.toLowerCase();
    scan.caseSensitiveIdentifiers = value === 'true' || value === 'on' || value === '1';
    return scan;
  }
  if (first === 'USE') {
    const kind = tokens[1]?.kind === 'word' && /^(DATABASE|SCHEMA|CATALOG|WAREHOUSE|ROLE|SECONDARY)$/.test(tokens[1].upper)
      ? tokens[1].upper : '';
    const name = readName(tokens, kind ? 2 : 1, rules);
    if (name) scan.use = { kind, name: name.parts };
    return scan;
  }
  const fold = (part: NamePart) => foldIdentifier(part.text, part.quoted, rules);
  // CTE names are matched without regard to case: no dialect lets two differ only by case.
  const cteKey = (part: NamePart) => fold(part).toLowerCase();
  const isCopy = first === 'COPY';
  const isDelete = first === 'DELETE';
  const isCreate = first === 'CREATE' || first === 'REPLACE';
  let targetPending = first === 'UPDATE' || (first === 'INSERT' && tokens[1]?.upper === 'OVERWRITE');
  /** The pending target is a table this statement creates. */
  let targetCreated = false;
  /** First parts of dotted table names (schemas, datasets): a path on an alias never starts with one. */
  const qualifiers = new Set<string>();
  let createTargetDone = !isCreate;
  /** Table names and aliases seen so far (BigQuery array paths start with one). */
  const aliases = new Set<string>();
  let lastNameEnd = -1;
  const stack: Frame[] = [newFrame(true)];

  const cteVisible = (name: string): boolean => stack.some((frame) => frame.ctes?.has(name) ?? false);

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const frame = stack[stack.length - 1];
    const word = token.kind === 'word' ? token.upper : '';

    // WITH name [(columns)] AS [NOT] [MATERIALIZED] (body) [, ...]
    if (frame.withState === 'name' && (token.kind === 'word' || token.kind === 'ident')) {
      if (word === 'RECURSIVE') { frame.withRecursive = true; continue; }
      frame.pendingCte = cteKey({ text: token.text, quoted: token.kind === 'ident' });
      frame.withState = 'afterName';
      continue;
    }
    if (frame.withState === 'afterName') {
      if (word === 'AS') { frame.withState = 'body'; continue; }
      if (token.text === '(' && token.kind === 'punct') { i = skipParens(tokens, i); continue; }
      frame.withState = 'none';
    } else if (frame.withState === 'body') {
      if (word === 'NOT' || word === 'MATERIALIZED') continue;
      if (token.kind === 'punct' && token.text === '(' && frame.pendingCte) {
        // A recursive CTE sees itself; a plain one sees only the CTEs defined before it.
        const body = newFrame(true, frame.withRecursive ? new Set([frame.pendingCte]) : null);
        body.cteBodyOf = { name: frame.pendingCte, owner: frame };
        stack.push(body);
        frame.withState = 'afterBody';
        continue;
      }
      frame.withState = 'none';
    } else if (frame.withState === 'afterBody') {
      if (token.kind === 'punct' && token.text === ',') { frame.withState = 'name'; continue; }
      frame.withState = 'none';
    }

    if (token.kind === 'punct') {
      if (token.text === '(') {
        const next = tokens[i + 1];
        const startsQuery = next?.kind === 'word' && QUERY_STARTS.has(next.upper) && next.upper !== 'TABLE';
        const previous = tokens[i - 1];
        const afterFunctionName = previous !== undefined && (previous.kind === 'ident' ||
          (previous.kind === 'word' && !NON_FUNCTION_WORDS.has(previous.upper)));
        const child = newFrame(startsQuery || !afterFunctionName);
        if (frame.expectTable && !startsQuery && !afterFunctionName) {
          // `FROM (a JOIN b)`: a parenthesised join list.
          child.expectTable = true;
          child.inTableList = true;
        }
        frame.expectTable = false;
        stack.push(child);
      } else if (token.text === ')') {
        if (stack.length === 1) { scan.doubts.push('unbalanced parentheses'); scan.structureUnclear = true; continue; }
        const closed = stack.pop()!;
        if (closed.cteBodyOf) (closed.cteBodyOf.owner.ctes ??= new Set()).add(closed.cteBodyOf.name);
      } else if (token.text === ',' && frame.inTableList) {
        frame.expectTable = true;
      }
      continue;
    }

    if (word === 'WITH' && isCteStart(tokens, i)) { frame.withState = 'name'; frame.withRecursive = false; continue; }
    if (word === 'INTO' || (word === 'OVERWRITE' && first === 'INSERT')) {
      // `SELECT ... INTO [TEMP] [TABLE] x` (PostgreSQL, Redshift) creates x; INSERT/MERGE INTO writes an existing table.
      targetCreated = word === 'INTO' && stack.length === 1 && (first === 'SELECT' || first === 'WITH') && !INTO_WRITERS.has(tokens[i - 1]?.upper ?? '');
      targetPending = true; frame.inTableList = false; frame.expectTable = false; continue;
    }
    if (isCreate && !createTargetDone && (word === 'TABLE' || word === 'VIEW')) {
      targetPending = true; targetCreated = true; createTargetDone = true; continue;
    }
    // `CREATE TABLE x USING DELTA AS ...`: USING names a data source format there, not a table.
    if (isCreate && word === 'USING' && stack.length === 1 && !frame.inTableList) { i++; continue; }
    // CREATE TABLE t CLONE s copies s's data.
    if (isCreate && word === 'CLONE') { frame.expectTable = true; continue; }
    if (targetPending && word && CLAUSE_STARTS.has(word)) targetPending = false; // `SELECT x INTO @v FROM t`
    if (targetPending && i > 0 && (token.kind === 'word' || token.kind === 'ident')) {
      const after = tokens[i + 1];
      if (TARGET_PREFIXES.has(word) && (after?.kind === 'ident' || (after?.kind === 'word' && !CLAUSE_STARTS.has(after.upper)))) continue;
      if (word === 'OUTFILE' || word === 'DUMPFILE') { targetPending = false; continue; }
      const name = readName(tokens, i, rules);
      targetPending = false;
      if (name) {
        i = name.end - 1;
        if (targetCreated) scan.creates = name.parts;
      }
      continue;
    }
    if (word === 'FROM') {
      const previous = tokens[i - 1]?.upper;
      if (!frame.honorsFrom || previous === 'DISTINCT' || (isCopy && stack.length === 1)) continue;
      if (isDelete && stack.length === 1 && !scan.reads.length && previous === 'DELETE') { targetPending = true; continue; }
      frame.inTableList = true; frame.expectTable = true; continue;
    }
    if (word === 'JOIN' || word === 'APPLY' || word === 'STRAIGHT_JOIN') {
      frame.inTableList = true;
      frame.expectTable = tokens[i - 1]?.upper !== 'ARRAY';
      continue;
    }
    if (word === 'USING') {
      const next = tokens[i + 1];
      if (next && next.kind !== 'punct') { frame.inTableList = true; frame.expectTable = true; }
      continue;
    }
    if (word === 'ON') { frame.expectTable = false; continue; }
    if (word && TABLE_LIST_ENDS.has(word)) { frame.inTableList = false; frame.expectTable = false; continue; }

    if (!frame.expectTable) {
      const previous = tokens[i - 1];
      const aliasPosition = i === lastNameEnd || previous?.upper === 'AS' || previous?.text === ')';
      if (frame.inTableList && aliasPosition && (token.kind === 'word' || token.kind === 'ident')) {
        aliases.add(fold({ text: token.text, quoted: token.kind === 'ident' }));
      }
      continue;
    }
    if (token.kind === 'param') { scan.doubts.push(`templated table reference ${token.text}`); frame.expectTable = false; continue; }
    if (token.kind !== 'word' && token.kind !== 'ident') { frame.expectTable = false; continue; }
    if (word && TABLE_PREFIXES.has(word)) {
      const next = tokens[i + 1];
      if (next && next.text !== '.' && next.text !== ',' && (next.text !== '(' || word !== 'ONLY')) continue;
    }
    const name = readName(tokens, i, rules);
    if (!name) { frame.expectTable = false; continue; }
    i = name.end - 1;
    lastNameEnd = name.end;
    frame.expectTable = false;
    if (tokens[name.end]?.kind === 'punct' && tokens[name.end].text === '(') continue; // table function
    const folded = name.parts.map(fold);
    const lastName = folded[folded.length - 1];
    // BigQuery `FROM t, t.array_column` and Redshift `FROM t AS o, o.items AS i` navigate a row, not a schema;
    // a first part also used as a schema or dataset of another name here is that schema (`FROM d.t AS d JOIN d.u`).
    if (rules.aliasPaths && folded.length > 1 && aliases.has(folded[0]) && !qualifiers.has(folded[0])) continue;
    if (folded.length > 1) qualifiers.add(folded[folded.length - 2]);
    aliases.add(lastName);
    if (folded.length === 1 && cteVisible(cteKey(name.parts[0]))) continue;
    if (folded.length === 1 && !name.parts[0].quoted && folded[0].toUpperCase() === 'DUAL') continue;
    // Path-based reads such as Databricks' delta.`/mnt/data` name files, not tables.
    if (name.parts.some((part) => part.quoted && /[/:]/.test(part.text))) continue;
    scan.reads.push(name.parts);
  }
  if (stack.length > 1) { scan.doubts.push('unbalanced parentheses'); scan.structureUnclear = true; }
  return scan;
}

/** `WITH` that opens a CTE list rather than `WITH TIME ZONE`, `WITH OFFSET`, `WITH (options)`. */
function isCteStart(tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  if (!next) return false;
  if (next.upper === 'RECURSIVE') return true;
  if (next.kind !== 'word' && next.kind !== 'ident') return false;
  const after = tokens[i + 2];
  if (after?.upper === 'AS') return tokens[i + 3]?.text === '(' || /^(NOT|MATERIALIZED)$/.test(tokens[i + 3]?.upper ?? '');
  return after?.text === '(' && after.kind === 'punct';
}

function skipParens(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].kind !== 'punct') continue;
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}
