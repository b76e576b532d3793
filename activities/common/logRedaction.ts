import { REDACTED, maskSecrets } from './scrubber';

/** Query parameter names whose values are credentials (`access_token`, `api_key`, `X-Amz-Signature`, ...). */
const SECRET_PARAM = /token|key|pass(word|wd)?|pwd|secret|signature|credential|auth/i;

export { REDACTED };

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

/** The scrubber's masking under the name log writers use (one implementation: activities/common/scrubber.ts). */
export { maskSecrets as scrubSecrets };
