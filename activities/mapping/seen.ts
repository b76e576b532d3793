import { createHash } from 'node:crypto';

/** Characters of one digest in a seen-set string. */
export const DIGEST_CHARS = 8;

/**
 * A compact fingerprint of a dashboard name, so the set of names seen in a listing fits in workflow state
 * (8 characters per project). A collision can only keep a stale dashboard, never delete a live one.
 */
export function nameDigest(name: string): string {
  return createHash('sha1').update(name).digest('hex').slice(0, DIGEST_CHARS);
}

/** The seen-set entry of a kept Hex component (its chart), never equal to a dashboard name's. */
export function componentDigest(id: string): string {
  return nameDigest(`component:${id}`);
}

export function digestSet(concatenated: string): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i + DIGEST_CHARS <= concatenated.length; i += DIGEST_CHARS) set.add(concatenated.slice(i, i + DIGEST_CHARS));
  return set;
}
