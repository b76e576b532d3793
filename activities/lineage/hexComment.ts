import { isDialect, type Dialect } from './dialect';
import { rulesFor } from './dialectRules';
import { endOfBlockComment } from './sqlTokens';
/** Metadata Hex appends to the SQL it sends to a warehouse (`-- Hex query metadata: {json}`). */
export interface HexQueryMetadata {
  projectId: string;
  /** Workspace slug: first path segment of `project_url` (`/<workspace>/hex/...` or `/<workspace>/app/...`). */
  workspace: string | null;
  context: string | null;
  cellType: string | null;
  userEmail: string | null;
  projectName: string | null;
  connection: string | null;
  traceId: string | null;
  categories: string[];
  status: string | null;
}

const MARKER = '-- Hex query metadata:';
// Any host (multi- or single-tenant); the workspace is the segment before /hex/ or /app/.
const WORKSPACE_IN_URL = /^https?:\/\/[^/]+\/([^/?#]+)\/(?:hex|app)\//i;
/** Hex project ids are UUIDs; a slug of letters, digits, `-` and `_` is accepted too. Anything else (an unrendered `{{ project_id }}`) is not Hex's. */
const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** What counts as a string, quoted name or comment when looking for the marker; without a dialect, a cautious mix. */
interface Lexis {
  quotes: string;
  backslashEscapes: boolean;
  hashComments: boolean;
  slashComments: boolean;
  nestedComments: boolean;
  dollarQuotes: boolean;
  tripleQuotes: boolean;
}

const ANY_DIALECT: Lexis = {
  quotes: '\'"`', backslashEscapes: false, hashComments: false, slashComments: false, nestedComments: false, dollarQuotes: true, tripleQuotes: true,
};

function lexisOf(dialect: Dialect | undefined): Lexis {
  if (!dialect || !isDialect(dialect)) return ANY_DIALECT;
  const rules = rulesFor(dialect);
  return {
    quotes: '\'"`', backslashEscapes: rules.backslashEscapes, hashComments: rules.hashComments, slashComments: rules.slashComments,
    nestedComments: rules.nestedComments, dollarQuotes: rules.dollarQuotes, tripleQuotes: rules.bigQueryNames,
  };
}

/** Marker lines parsed at most from the end of a text (and its first one). */
const MAX_LINES_TRIED = 16;

const DOLLAR_TAG = /\$[A-Za-z_]*\$/y;

/**
 * Lines whose trimmed text begins with the marker and that are real `--` comments (not text inside a string,
 * quoted name or block comment), first to last. One pass over the text, so linear in its length.
 */
function markerLines(sql: string, lexis: Lexis): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  if (!sql.includes(MARKER)) return found;
  const n = sql.length;
  let lineStart = 0;
  /** Only whitespace since lineStart. */
  let blank = true;
  let i = 0;
  // A string or block comment puts text on the line (and on the lines it spans): no marker there is a whole line.
  const skipTo = (end: number) => { i = end; blank = false; };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 10) { i++; lineStart = i; blank = true; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 12) { i++; continue; }
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      const end = newline < 0 ? n : newline;
      if (blank && sql.startsWith(MARKER, i)) found.push({ start: lineStart, end });
      i = end;
      continue;
    }
    if ((ch === '#' && lexis.hashComments) || (ch === '/' && next === '/' && lexis.slashComments)) {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? n : newline;
      continue;
    }
    if (ch === '/' && next === '*') { skipTo(endOfBlockComment(sql, i, lexis.nestedComments)); continue; }
    if (lexis.tripleQuotes && (sql.startsWith("'''", i) || sql.startsWith('"""', i))) {
      const close = sql.indexOf(sql.slice(i, i + 3), i + 3);
      skipTo(close < 0 ? n : close + 3);
      continue;
    }
    if (lexis.quotes.includes(ch)) {
      // PostgreSQL-style E'...' strings take backslash escapes whatever the dialect's default.
      const escapeString = ch === "'" && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? '');
      skipTo(endOfQuoted(sql, i, ch, escapeString || (lexis.backslashEscapes && ch !== '`')));
      continue;
    }
    if (ch === '$' && lexis.dollarQuotes) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql);
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        skipTo(close < 0 ? n : close + tag[0].length);
        continue;
      }
    }
    blank = false;
    i++;
  }
  return found;
}

function endOfQuoted(sql: string, from: number, quote: string, backslash: boolean): number {
  for (let i = from + 1; i < sql.length; i++) {
    const c = sql[i];
    if (backslash && c === '\\') { i++; continue; }
    if (c === quote) {
      if (sql[i + 1] === quote) { i++; continue; }
      return i + 1;
    }
  }
  return sql.length;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function workspaceFromUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const match = WORKSPACE_IN_URL.exec(url.trim());
  return match ? decodeURIComponent(match[1]) : null;
}

function toMetadata(line: string): HexQueryMetadata | null {
  const brace = line.indexOf('{', line.indexOf(MARKER) + MARKER.length);
  if (brace < 0) return null;
  let parsed: unknown;
  try {
    // The whole rest of the line is the JSON object: titles may contain `}` or escaped quotes.
    parsed = JSON.parse(line.slice(brace).trimEnd());
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const json = parsed as Record<string, unknown>;
  const projectId = stringOrNull(json.project_id)?.trim();
  if (!projectId || !PROJECT_ID.test(projectId)) return null;
  return {
    projectId,
    workspace: workspaceFromUrl(json.project_url),
    context: stringOrNull(json.context),
    cellType: stringOrNull(json.cell_type),
    userEmail: stringOrNull(json.user_email),
    projectName: stringOrNull(json.project_name),
    connection: stringOrNull(json.connection),
    traceId: stringOrNull(json.trace_id),
    categories: Array.isArray(json.categories) ? json.categories.filter((c): c is string => typeof c === 'string') : [],
    status: stringOrNull(json.status),
  };
}

/**
 * Finds the Hex metadata comment on any whole line of `sql` that is a real comment (text inside a string
 * literal or quoted name is not, read by `dialect`'s rules where given). The last valid one wins (Hex appends
 * it as the last line; some warehouses drop trailing comments, so a leading one is accepted too).
 */
export function parseHexComment(sql: string, dialect?: Dialect): HexQueryMetadata | null {
  const lines = markerLines(sql, lexisOf(dialect));
  // Hex writes one comment, last or (where trailing comments are dropped) first: a text with thousands of
  // marker lines has only its last few and its first parsed, so hostile input costs one pass, not a parse a line.
  const tried = lines.length > MAX_LINES_TRIED + 1 ? [lines[0], ...lines.slice(-MAX_LINES_TRIED)] : lines;
  for (let k = tried.length - 1; k >= 0; k--) {
    const line = tried[k];
    const metadata = toMetadata(sql.slice(line.start, line.end));
    if (metadata) return metadata;
  }
  return null;
}

/** Removes every Hex metadata comment line, leaving the SQL itself. */
export function stripHexComment(sql: string, dialect?: Dialect): string {
  const lines = markerLines(sql, lexisOf(dialect));
  if (lines.length === 0) return sql;
  const kept: string[] = [];
  let from = 0;
  for (const line of lines) {
    kept.push(sql.slice(from, line.start));
    from = line.end;
  }
  kept.push(sql.slice(from));
  return kept.join('');
}
