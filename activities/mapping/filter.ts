import type { FilterPattern } from '../config/types';
import { compileFilterPattern } from './pythonRegex';

const compiled = new Map<string, RegExp>();

/** Python `re.match` semantics: anchored at the start, not the end; case-insensitive. */
function matchesAtStart(pattern: string, name: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = compileFilterPattern(pattern);
    compiled.set(pattern, regex);
  }
  regex.lastIndex = 0;
  return regex.test(name);
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
