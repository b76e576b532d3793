import type { FilterPattern } from '../config/types';
import { compileFilterPattern, type NameMatcher } from './pythonRegex';

const compiled = new Map<string, NameMatcher>();

/** Python `re.match` semantics: anchored at the start, not the end; case-insensitive. */
function matchesAtStart(pattern: string, name: string): boolean {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compileFilterPattern(pattern);
    compiled.set(pattern, matcher);
  }
  return matcher(name);
}

/**
 * OpenMetadata's filter decision: with a pattern object, an empty name is filtered; an exclude match wins;
 * with includes, a name must match one of them.
 */
export function isFilteredOut(name: string | null | undefined, pattern: FilterPattern | null): boolean {
  if (!pattern) return false;
  if (!name) return true;
  if (pattern.excludes.some((p) => matchesAtStart(p, name))) return true;
  if (pattern.includes.length && !pattern.includes.some((p) => matchesAtStart(p, name))) return true;
  return false;
}
