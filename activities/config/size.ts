/**
 * The largest workflow file accepted, as JSON. What a run derives from the file (its plan, or the whole file
 * when it is the workflow input) travels in Temporal payloads (2 MB each at most), and the plan is copied into
 * the input of every activity the workflow schedules, several in one workflow task (4 MB at most): a plan of
 * 1.5 MB already stalls a run. A hand-written file is a few KB; thousands of filter patterns still fit.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** A file's text may hold comments and YAML's indentation on top; beyond this it is refused unparsed. */
export const MAX_CONFIG_TEXT_CHARS = 4 * MAX_CONFIG_BYTES;

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en')} KB`;
}

/** Where most of the bytes are: the path of the largest value holding at least half of its parent's size. */
function largestPath(value: unknown, total: number): string {
  let path = '';
  let current = value;
  for (;;) {
    if (!current || typeof current !== 'object') return path;
    let best: { key: string; item: unknown; bytes: number } | null = null;
    for (const [key, item] of Object.entries(current)) {
      const bytes = jsonBytes(item);
      if (!best || bytes > best.bytes) best = { key, item, bytes };
    }
    if (!best || best.bytes < total / 2) return path;
    path = Array.isArray(current) ? `${path}[${best.key}]` : path ? `${path}.${best.key}` : best.key;
    current = best.item;
  }
}

/** A problem when the file is larger than a run can carry; null otherwise. */
export function sizeProblem(file: unknown): string | null {
  const bytes = jsonBytes(file);
  if (bytes <= MAX_CONFIG_BYTES) return null;
  const where = largestPath(file, bytes);
  return `${where || '(top level)'}: the configuration is ${kilobytes(bytes)} as JSON${where ? ', most of it here' : ''}; at most ${kilobytes(MAX_CONFIG_BYTES)} is accepted, as a run carries its plan in Temporal payloads (limited to 2 MB, 4 MB for all a workflow task schedules)`;
}
