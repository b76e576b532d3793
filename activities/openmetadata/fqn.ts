/** OpenMetadata fully qualified names: parts joined by '.', a part containing '.' wrapped in double quotes. */
export function quoteName(name: string): string {
  const wrapped = name.length > 1 && name.startsWith('"') && name.endsWith('"');
  if (wrapped) {
    const inner = name.slice(1, -1);
    return inner.includes('.') ? name : inner;
  }
  // OpenMetadata's server escapes a bare double quote inside a name as \" (its Python client refuses such names).
  if (name.includes('"')) return name.replace(/"/g, '\\"');
  return name.includes('.') ? `"${name}"` : name;
}

export function buildFqn(...parts: string[]): string {
  for (const part of parts) {
    if (!part) throw new Error('cannot build a fully qualified name with an empty part');
  }
  return parts.map(quoteName).join('.');
}

/** Splits an FQN into its parts, keeping quoted parts whole (quotes removed). */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of fqn) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** An FQN as a path segment: percent-encoded (quotes become %22). */
export function fqnPath(fqn: string): string {
  return encodeURIComponent(fqn);
}
