import type { DialectRules } from './dialectRules';
import type { Token } from './sqlTokens';
import type { NamePart } from './tableNames';

/** Reads `a.b.c` (BigQuery also `my-project.ds.events_*`) starting at `start`; null when no name is there. */
export function readName(tokens: Token[], start: number, rules: DialectRules): { parts: NamePart[]; end: number } | null {
  const parts: NamePart[] = [];
  let i = start;
  for (;;) {
    const token = tokens[i];
    if (!token || (token.kind !== 'word' && token.kind !== 'ident')) return parts.length ? { parts, end: i } : null;
    let text = token.text;
    let end = token.end;
    i++;
    if (rules.bigQueryNames) {
      // Unquoted project ids may contain dashes, and a trailing `*` makes a wildcard table.
      while (tokens[i]?.text === '-' && tokens[i].start === end && tokens[i + 1] && tokens[i + 1].start === tokens[i].end &&
        (tokens[i + 1].kind === 'word' || tokens[i + 1].kind === 'number')) {
        text += '-' + tokens[i + 1].text; end = tokens[i + 1].end; i += 2;
      }
      if (tokens[i]?.text === '*' && tokens[i].start === end) { text += '*'; i++; }
    }
    parts.push({ text, quoted: token.kind === 'ident' });
    // Snowflake `db..table` leaves out the schema, which then is PUBLIC.
    if (rules.fold === 'upper' && tokens[i]?.text === '.' && tokens[i + 1]?.text === '.' &&
      tokens[i + 2] && (tokens[i + 2].kind === 'word' || tokens[i + 2].kind === 'ident')) {
      parts.push({ text: 'PUBLIC', quoted: true });
      i++;
    }
    if (tokens[i]?.kind === 'punct' && tokens[i].text === '.' && tokens[i + 1] &&
      (tokens[i + 1].kind === 'word' || tokens[i + 1].kind === 'ident')) {
      i++;
      continue;
    }
    return { parts, end: i };
  }
}
