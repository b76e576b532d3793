// The names a listing kept, carried in workflow state for servers that mark deleted what was not seen by name
// (OpenMetadata 2.0's deleteStale). Bounded: past the bound the run drops them and lists instead.

/** About 7,000 Hex project ids: beyond this the names would crowd workflow history and continue-as-new input. */
export const SEEN_NAMES_MAX_CHARS = 256_000;

/** `seen` plus a page's names; undefined while no page sent names, null once they outgrew the bound. */
export function addSeenNames(seen: string | null | undefined, more: string | undefined): string | null | undefined {
  if (seen === null) return null;
  if (more === undefined) return seen;
  const all = (seen ?? '') + more;
  return all.length > SEEN_NAMES_MAX_CHARS ? null : all;
}
