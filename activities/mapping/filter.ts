import type { FilterPattern } from '../config/types';
import { compileFilterPattern, MATCH_BUDGET_MS, MatchTimeout, runsOnRe2, type NameMatcher } from './pythonRegex';

/**
 * Time a pattern RE2 cannot run may spend matching within one minute on this worker. Past it (or after one
 * match longer than MATCH_BUDGET_MS) the pattern is disabled until the worker restarts: a workspace of 10,000
 * titles then costs at most one interrupted match per pattern, not 10,000 of them.
 */
export const PATTERN_BUDGET_MS_PER_MINUTE = 5_000;

/**
 * A filter pattern could not decide for a name (it ran out of time, or was disabled for that). The item is
 * then neither kept nor filtered out: it is reported, and a dashboard it already has is not marked deleted.
 */
export class FilterUndecided extends Error {
  constructor(readonly pattern: string, reason: string) {
    super(`filter pattern ${JSON.stringify(pattern)} could not decide for this title (${reason}); it is neither written nor filtered out, and stays so until the pattern avoids lookaround and backreferences (then RE2 runs it in linear time)`);
    this.name = 'FilterUndecided';
  }
}

interface CompiledPattern {
  matcher: NameMatcher;
  /** Backtracking engine: its time is counted. */
  timed: boolean;
  disabled: string | null;
  windowStartedAt: number;
  spentMs: number;
}

const compiled = new Map<string, CompiledPattern>();

function compiledPattern(pattern: string): CompiledPattern {
  let found = compiled.get(pattern);
  if (!found) {
    found = { matcher: compileFilterPattern(pattern), timed: !runsOnRe2(pattern), disabled: null, windowStartedAt: Date.now(), spentMs: 0 };
    compiled.set(pattern, found);
  }
  return found;
}

/** Python `re.match` semantics: anchored at the start, not the end; case-insensitive. */
function matchesAtStart(pattern: string, name: string): { matched: boolean } | { undecided: string } {
  const entry = compiledPattern(pattern);
  if (!entry.timed) return { matched: entry.matcher(name) };
  if (entry.disabled) return { undecided: entry.disabled };
  const started = performance.now();
  try {
    return { matched: entry.matcher(name) };
  } catch (error) {
    if (!(error instanceof MatchTimeout)) throw error;
    entry.disabled = `it was stopped after ${MATCH_BUDGET_MS} ms on a title and is disabled on this worker`;
    return { undecided: `it was stopped after ${MATCH_BUDGET_MS} ms on this title` };
  } finally {
    const now = performance.now();
    if (Date.now() - entry.windowStartedAt > 60_000) {
      entry.windowStartedAt = Date.now();
      entry.spentMs = 0;
    }
    entry.spentMs += now - started;
    if (!entry.disabled && entry.spentMs > PATTERN_BUDGET_MS_PER_MINUTE) {
      entry.disabled = `it spent over ${PATTERN_BUDGET_MS_PER_MINUTE} ms matching within a minute and is disabled on this worker`;
    }
  }
}

/**
 * OpenMetadata's filter decision: with a pattern object, an empty name is filtered; an exclude match wins;
 * with includes, a name must match one of them. Throws FilterUndecided when a pattern that could change the
 * decision cannot be evaluated (never guesses either way).
 */
export function isFilteredOut(name: string | null | undefined, pattern: FilterPattern | null): boolean {
  if (!pattern) return false;
  if (!name) return true;
  let undecided: FilterUndecided | null = null;
  for (const exclude of pattern.excludes) {
    const result = matchesAtStart(exclude, name);
    if ('matched' in result) {
      if (result.matched) return true;
    } else undecided ??= new FilterUndecided(exclude, result.undecided);
  }
  if (undecided) throw undecided;
  if (!pattern.includes.length) return false;
  for (const include of pattern.includes) {
    const result = matchesAtStart(include, name);
    if ('matched' in result) {
      if (result.matched) return false;
    } else undecided ??= new FilterUndecided(include, result.undecided);
  }
  if (undecided) throw undecided;
  return true;
}
