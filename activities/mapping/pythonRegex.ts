import { RE2JS } from 're2js';
import safeRegex from 'safe-regex';
import { createContext, runInContext, Script } from 'node:vm';

/**
 * Filter patterns are Python regular expressions, applied as OpenMetadata applies them:
 * `re.match(pattern, name, IGNORECASE)`, i.e. anchored at the start of the name only.
 *
 * They run on RE2 (linear time), so a pattern such as `(a+)+$` cannot stall a run on a long title. RE2 has no
 * lookaround or backreferences. Such a pattern is refused when it also nests quantifiers (the shape that
 * backtracks catastrophically); otherwise it runs on the JavaScript engine inside a `vm` context under a hard
 * time limit per match (MATCH_BUDGET_MS), which interrupts even a running regular expression.
 */
export type NameMatcher = (name: string) => boolean;

/** Time one match on the backtracking engine may take before it is interrupted. */
export const MATCH_BUDGET_MS = 50;

/** A match that ran out of time: the pattern could not decide for this name. */
export class MatchTimeout extends Error {
  constructor(readonly pattern: string, readonly budgetMs: number) {
    super(`pattern ${JSON.stringify(pattern)} took longer than ${budgetMs} ms`);
    this.name = 'MatchTimeout';
  }
}

const LEADING_PYTHON_FLAGS = /^\(\?([aiLmsux]+)\)/;

/** Source and flags of the JavaScript equivalent: sticky (anchored at the start), case-insensitive. */
function nativeForm(pattern: string): { source: string; flags: string } {
  let source = pattern;
  const flags = new Set(['i', 'y']);
  const inline = LEADING_PYTHON_FLAGS.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('m')) flags.add('m');
    if (inline[1].includes('s')) flags.add('s');
  }
  return { source, flags: [...flags].join('') };
}

/**
 * One context for every backtracking pattern of the process: `timeout` is only enforced on code run through
 * `vm`, and a context per pattern would cost memory for nothing.
 */
type SandboxGlobals = { index: number; name: string; source: string; flags: string };
let sandbox: SandboxGlobals | null = null;
/** Index of each compiled pattern in the sandbox's list, so compiling again (validation) adds nothing. */
const sandboxIndex = new Map<string, number>();
const MATCH = new Script('matchAt(index, name)');

function sandboxed(): SandboxGlobals {
  if (!sandbox) {
    sandbox = createContext({ index: 0, name: '', source: '', flags: '' }) as SandboxGlobals;
    runInContext('var patterns = []; function matchAt(i, s) { var r = patterns[i]; r.lastIndex = 0; return r.test(s); }', sandbox);
  }
  return sandbox;
}

function timeLimitedMatcher(pattern: string, budgetMs: number): NameMatcher {
  const { source, flags } = nativeForm(pattern);
  const context = sandboxed();
  const key = `${flags}/${source}`;
  let index = sandboxIndex.get(key);
  if (index === undefined) {
    Object.assign(context, { source, flags });
    index = runInContext('patterns.push(new RegExp(source, flags)) - 1', context) as number;
    sandboxIndex.set(key, index);
  }
  const at = index;
  return (name) => {
    const context = sandboxed();
    context.index = at;
    context.name = name;
    try {
      return MATCH.runInContext(context, { timeout: budgetMs }) === true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new MatchTimeout(pattern, budgetMs);
      throw error;
    }
  };
}

/** True when RE2 runs the pattern (linear time, no budget needed). */
export function runsOnRe2(pattern: string): boolean {
  try {
    RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles a filter pattern; throws an Error saying why when it cannot be used. A matcher of a pattern RE2
 * cannot run throws MatchTimeout when one match exceeds `budgetMs`.
 */
export function compileFilterPattern(pattern: string, budgetMs = MATCH_BUDGET_MS): NameMatcher {
  let re2: RE2JS | null = null;
  try {
    re2 = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (re2Error) {
    const { source, flags } = nativeForm(pattern);
    try {
      new RegExp(source, flags);
    } catch {
      throw new Error((re2Error as Error).message.replace(/^error parsing regexp: /, ''));
    }
    if (!safeRegex(pattern)) {
      throw new Error('uses lookaround or backreferences together with nested quantifiers, which can backtrack for hours on a long title');
    }
    return timeLimitedMatcher(pattern, budgetMs);
  }
  const compiled = re2;
  return (name) => compiled.matcher(name).lookingAt();
}
