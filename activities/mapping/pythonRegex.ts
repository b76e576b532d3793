/**
 * Filter patterns are Python regular expressions (OpenMetadata applies them with `re.match(p, name, IGNORECASE)`).
 * JavaScript lacks Python's leading inline flags such as `(?i)` or `(?s)`; they become RegExp flags here.
 */
const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/** Compiles a pattern anchored at the start of the text (sticky), case-insensitive; throws when invalid. */
export function compileFilterPattern(pattern: string): RegExp {
  let source = pattern;
  const flags = new Set(['i', 'y']);
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes('m')) flags.add('m');
    if (inline[1].includes('s')) flags.add('s');
    if (inline[1].includes('x')) source = source.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  }
  return new RegExp(source, [...flags].join(''));
}
