/** `${NAME}` references in the workflow file, replaced from the environment of the process that needs them. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface MissingVariable {
  path: string;
  name: string;
}

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Returns a copy with every reference replaced; unset variables are reported with the path that used them. */
export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  skip: (path: string) => boolean = () => false,
  path = '',
  missing: MissingVariable[] = [],
): { value: unknown; missing: MissingVariable[] } {
  if (typeof value === 'string') {
    if (skip(path)) return { value, missing };
    const replaced = value.replace(REFERENCE, (whole, name: string) => {
      const found = env[name];
      if (found === undefined) {
        missing.push({ path, name });
        return whole;
      }
      return found;
    });
    return { value: replaced, missing };
  }
  if (Array.isArray(value)) {
    return { value: value.map((item, i) => substituteEnv(item, env, skip, joinPath(path, i), missing).value), missing };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = substituteEnv(item, env, skip, joinPath(path, key), missing).value;
    }
    return { value: out, missing };
  }
  return { value, missing };
}

/** True when the whole string is references only, so no literal value would be stored by passing it on. */
export function isOnlyReferences(value: string): boolean {
  return value.replace(REFERENCE, '').trim() === '' && REFERENCE.test(value);
}
