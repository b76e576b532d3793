// Deterministic checks that Hex's project listing ends; pure, so workflow code may use them.

/** Far beyond any workspace (a million projects at 100 a page), still a bound a listing cannot pass. */
export const MAX_LISTING_PAGES = 10_000;
const DIGEST_CHARS = 13;

/** 52 bits of a cursor as 13 hex digits: kept for every page, small enough to carry over continue-as-new. */
export function cursorDigest(cursor: string): string {
  let a = 0x811c9dc5 ^ cursor.length;
  let b = 0x9e3779b9;
  for (let i = 0; i < cursor.length; i++) {
    const c = cursor.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  const high = (b >>> 0) & 0xfffff;
  return (high * 2 ** 32 + (a >>> 0)).toString(16).padStart(DIGEST_CHARS, '0');
}

/** Why the listing must stop, or null: a cursor seen before, or more pages than any workspace has. */
export class ListingGuard {
  private readonly seen = new Set<string>();

  constructor(digests = '') {
    for (let i = 0; i + DIGEST_CHARS <= digests.length; i += DIGEST_CHARS) this.seen.add(digests.slice(i, i + DIGEST_CHARS));
  }

  /** Notes the cursors Hex gave; the reason to stop when one repeats or the pages pass the bound. */
  check(cursors: string[], pagesRead: number): string | null {
    for (const cursor of cursors) {
      const digest = cursorDigest(cursor);
      if (this.seen.has(digest)) return `Hex's project listing gave a page cursor it had given before (after ${pagesRead} pages)`;
      this.seen.add(digest);
    }
    if (pagesRead > MAX_LISTING_PAGES) return `Hex's project listing went past ${MAX_LISTING_PAGES} pages`;
    return null;
  }

  /** The digests, to carry over continue-as-new. */
  digests(): string {
    return [...this.seen].join('');
  }
}
