import type { DialectRules } from './dialectRules';

/**
 * word: unquoted identifier or keyword; ident: quoted identifier (text unescaped); string, number;
 * param: bind parameter or Jinja `{{ }}` expression; punct: one punctuation character.
 * Comments and Jinja `{% %}`/`{# #}` blocks produce no token.
 */
export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Upper-cased text of a word, for keyword checks. */
  upper: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;

function endOfLine(sql: string, from: number): number {
  const newline = sql.indexOf('\n', from);
  return newline < 0 ? sql.length : newline + 1;
}

/** End of a quoted run starting at `from` (the opening quote); doubled quotes and optional backslashes escape. */
function endOfQuoted(sql: string, from: number, quote: string, backslash: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') { i += 2; continue; }
    if (c === quote) {
      if (sql[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function unquote(raw: string, quote: string): string {
  const inner = raw.endsWith(quote) && raw.length > 1 ? raw.slice(1, -1) : raw.slice(1);
  return inner.split(quote + quote).join(quote);
}

/** Where the block comment opening at `from` ends (just past its closing marker), nested where the dialect nests them. */
export function endOfBlockComment(sql: string, from: number, nested: boolean): number {
  if (!nested) {
    const close = sql.indexOf('*/', from + 2);
    return close < 0 ? sql.length : close + 2;
  }
  let depth = 0;
  for (let i = from; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i++; }
    else if (sql[i] === '*' && sql[i + 1] === '/') { i++; if (--depth === 0) return i + 1; }
  }
  return sql.length;
}

function endOfMarker(sql: string, from: number, close: string): number {
  const at = sql.indexOf(close, from + 2);
  return at < 0 ? sql.length : at + close.length;
}

/** Splits SQL into tokens in one linear pass; never throws, whatever the input. */
export function tokenize(sql: string, rules: DialectRules): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string, start: number, end: number) =>
    tokens.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text, start, end });
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f') { i++; continue; }
    if ((c === '-' && next === '-') || (c === '#' && rules.hashComments) || (c === '/' && next === '/' && rules.slashComments)) {
      i = endOfLine(sql, i);
      continue;
    }
    if (c === '/' && next === '*') { i = endOfBlockComment(sql, i, rules.nestedComments); continue; }
    if (c === '{' && (next === '{' || next === '%' || next === '#')) {
      const close = next === '{' ? '}}' : next === '%' ? '%}' : '#}';
      const end = endOfMarker(sql, i, close);
      if (next === '{') push('param', sql.slice(i, end), i, end);
      i = end;
      continue;
    }
    if (rules.bigQueryNames && (sql.startsWith("'''", i) || sql.startsWith('"""', i))) {
      const close = sql.indexOf(sql.slice(i, i + 3), i + 3);
      const end = close < 0 ? n : close + 3;
      push('string', sql.slice(i, end), i, end);
      i = end;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const isIdentifier = rules.identifierQuotes.includes(c);
      const end = endOfQuoted(sql, i, c, !isIdentifier && rules.backslashEscapes);
      const raw = sql.slice(i, end);
      if (isIdentifier) push('ident', unquote(raw, c), i, end);
      else push('string', raw, i, end);
      i = end;
      continue;
    }
    if (c === '$' && rules.dollarQuotes) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        push('string', sql.slice(i, end), i, end);
        i = end;
        continue;
      }
    }
    if (WORD_START.test(c)) {
      // Prefixed literals: E'..', N'..', X'..', B'..', r'..', b'..' are strings, not names.
      let j = i + 1;
      while (j < n && WORD_CHAR.test(sql[j])) j++;
      const quoteAfter = sql[j];
      if (j - i <= 2 && (quoteAfter === "'" || (rules.bigQueryNames && quoteAfter === '"')) && /^(e|n|x|b|r|br|rb|u&)$/i.test(sql.slice(i, j))) {
        const end = endOfQuoted(sql, j, quoteAfter, true);
        push('string', sql.slice(i, end), i, end);
        i = end;
        continue;
      }
      push('word', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const dotAfterName = c === '.' && previous !== undefined && previous.end === i && (previous.kind === 'word' || previous.kind === 'ident');
    if (DIGIT.test(c) || (c === '.' && !dotAfterName && next !== undefined && DIGIT.test(next))) {
      const number = NUMBER.exec(sql.slice(i, i + 64))![0];
      let j = i + number.length;
      if (j < n && WORD_CHAR.test(sql[j]) && !number.includes('.')) {
        // MySQL, ClickHouse and BigQuery names may start with a digit (`1st_table`, `proj-123abc`).
        while (j < n && WORD_CHAR.test(sql[j])) j++;
        push('word', sql.slice(i, j), i, j);
      } else {
        push('number', number, i, j);
      }
      i = j;
      continue;
    }
    if (c === '$' || c === '?' || (c === ':' && next !== ':' && next !== undefined && WORD_START.test(next)) || (c === '@' && next !== undefined && WORD_START.test(next))) {
      let j = i + 1;
      while (j < n && WORD_CHAR.test(sql[j])) j++;
      push('param', sql.slice(i, j), i, j);
      i = j;
      continue;
    }
    push('punct', c, i, i + 1);
    i++;
  }
  return tokens;
}
