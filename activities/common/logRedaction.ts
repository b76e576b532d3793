/** Query parameter names whose values are credentials (`access_token`, `api_key`, `X-Amz-Signature`, ...). */
const SECRET_PARAM = /token|key|pass(word|wd)?|pwd|secret|signature|credential|auth/i;

export const REDACTED = '***';

/** Shapes a credential has wherever it appears, known to us or not: bearer tokens and JWTs. */
const CREDENTIAL_SHAPES: [RegExp, string][] = [
  [/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g, REDACTED],
];

/** A path with its query string, every parameter with a secret-looking name masked. */
export function redactQuery(pathAndQuery: string): string {
  const mark = pathAndQuery.indexOf('?');
  if (mark < 0) return pathAndQuery;
  const params = new URLSearchParams(pathAndQuery.slice(mark + 1));
  const kept: string[] = [];
  for (const [name, value] of params) {
    kept.push(`${encodeURIComponent(name)}=${SECRET_PARAM.test(name) ? REDACTED : encodeURIComponent(value)}`);
  }
  return kept.length ? `${pathAndQuery.slice(0, mark)}?${kept.join('&')}` : pathAndQuery.slice(0, mark);
}

/**
 * The last line of defence before a line is written: removes every known secret (as written and as JSON
 * escapes it) and anything shaped like a bearer token or a JWT.
 */
export function scrubSecrets(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) {
    // Very short values would mask ordinary words; configuration secrets are never that short.
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
  return out;
}
