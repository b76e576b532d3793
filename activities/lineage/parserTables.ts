import type { NamePart } from './tableNames';
import type { Token } from './sqlTokens';

/**
 * node-sql-parser, one cached Parser per grammar, loaded on first use (each grammar is ~250 KB of code).
 * Returns the tables a statement reads, or null when the grammar rejects the statement.
 */
interface SqlParser {
  astify(sql: string, options: { database: string }): unknown;
}

const parsers = new Map<string, SqlParser>();

function parserFor(database: string): SqlParser {
  let parser = parsers.get(database);
  if (!parser) {
    const grammar = require(`node-sql-parser/build/${database}`) as { Parser: new () => SqlParser };
    parser = new grammar.Parser();
    parsers.set(database, parser);
  }
  return parser;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  // Some grammars wrap names as { type, value }.
  if (isNode(value) && typeof value.value === 'string') return value.value;
  return null;
}

/** Collects the names under every FROM/USING list, skipping write targets and CTE definitions' names. */
function collectReads(node: unknown, reads: string[][], cteNames: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectReads(child, reads, cteNames);
    return;
  }
  if (!isNode(node)) return;
  if (Array.isArray(node.with)) {
    for (const cte of node.with) if (isNode(cte)) { const name = textOf(cte.name); if (name) cteNames.add(name.toLowerCase()); }
  }
  const isDelete = node.type === 'delete';
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'from' || key === 'using') && Array.isArray(value)) {
      for (const item of value) {
        if (!isNode(item)) continue;
        const table = textOf(item.table);
        if (table && !isDelete && !isNode(item.expr)) {
          const parts = [textOf(item.db), textOf(item.schema), table].filter((p): p is string => !!p);
          reads.push(parts);
        }
        collectReads(item.expr, reads, cteNames);
        collectReads(item.on, reads, cteNames);
      }
      continue;
    }
    // Targets of INSERT/UPDATE/CREATE/MERGE sit under `table`; their reads sit elsewhere.
    if (key === 'table' || key === 'loc') continue;
    if (isNode(value)) collectReads(value, reads, cteNames);
  }
}

/**
 * Parses one statement with node-sql-parser. Quoting is not kept uniformly by the grammars, so a part
 * counts as quoted when the statement spells it only inside identifier quotes.
 */
export function parserReads(sql: string, tokens: Token[], database: string): NamePart[][] | null {
  let ast: unknown;
  try {
    ast = parserFor(database).astify(sql, { database });
  } catch {
    return null;
  }
  const reads: string[][] = [];
  const cteNames = new Set<string>();
  collectReads(ast, reads, cteNames);
  const quotedTexts = new Set<string>();
  const bareTexts = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'ident') quotedTexts.add(token.text);
    else if (token.kind === 'word') bareTexts.add(token.text);
  }
  return reads
    .filter((parts) => !(parts.length === 1 && cteNames.has(parts[0].toLowerCase())))
    .map((parts) => parts.flatMap((part) => part.split('.')).map((text) => ({
      text, quoted: quotedTexts.has(text) && !bareTexts.has(text),
    })));
}

/** The plain `tableList` of node-sql-parser, used as a baseline in the benchmark. */
export function parserTableList(sql: string, database: string): string[] | null {
  try {
    return (parserFor(database) as unknown as { tableList(s: string, o: { database: string }): string[] }).tableList(sql, { database });
  } catch {
    return null;
  }
}
