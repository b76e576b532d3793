// Fully qualified names: dot-separated parts, where a part containing a dot is double-quoted.

/** Quotes one FQN part: names with a dot are wrapped in double quotes, needless quotes are dropped. */
export function quoteName(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    const inner = name.slice(1, -1);
    return inner.includes('.') ? name : inner;
  }
  if (name.includes('"')) return name.replace(/"/g, '\\"');
  return name.includes('.') ? `"${name}"` : name;
}

/** Splits on dots outside double quotes; parts keep their quotes. */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of fqn) {
    if (char === '"') quoted = !quoted;
    if (char === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

export function buildFqn(...parts: string[]): string {
  return parts.map(quoteName).join('.');
}
