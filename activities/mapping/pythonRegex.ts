import { RE2JS } from 're2js';
import safeRegex from 'safe-regex';

/**
 * Filter patterns are Python regular expressions, applied as OpenMetadata applies them:
 * `re.match(pattern, name, IGNORECASE)`, i.e. anchored at the start of the name only.
 *
 * They run on RE2 (linear time), so a pattern such as `(a+)+$` cannot stall a run on a long title. RE2 has no
 * lookaround or backreferences; such patterns fall back to the JavaScript engine only when they have no
 * nested quantifier (the shape that backtracks catastrophically), and are refused otherwise.
 */
export type NameMatcher = (name: string) => boolean;

const LEADING_PYTHON_FLAGS = /^\(\?([aiLmsux]+)\)/;

function nativeMatcher(pattern: string): NameMatcher {
  let source = pattern;
  const flags = new Set(['i', 'y']);
  const inline = LEADING_PYTHON_FLAGS.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('m')) flags.add('m');
    if (inline[1].includes('s')) flags.add('s');
  }
  const regex = new RegExp(source, [...flags].join(''));
  return (name) => {
    regex.lastIndex = 0;
    return regex.test(name);
  };
}

/** Compiles a filter pattern; throws an Error saying why when it cannot be used. */
export function compileFilterPattern(pattern: string): NameMatcher {
  let re2: RE2JS | null = null;
  try {
    re2 = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (re2Error) {
    let matcher: NameMatcher;
    try {
      matcher = nativeMatcher(pattern);
    } catch {
      throw new Error((re2Error as Error).message.replace(/^error parsing regexp: /, ''));
    }
    if (!safeRegex(pattern)) {
      throw new Error('uses lookaround or backreferences together with nested quantifiers, which can backtrack for hours on a long title');
    }
    return matcher;
  }
  const compiled = re2;
  return (name) => compiled.matcher(name).lookingAt();
}
