// JSON Patch (RFC 6902) applied to a copy of a document.
import type { Json } from './types';

export class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${path}`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[]): { parent: Json; key: string } {
  let node: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !(token in node)) throw new PatchError(`path not found: /${tokens.join('/')}`);
    node = node[token];
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getAt(doc: Json, path: string): unknown {
  let node: unknown = doc;
  for (const token of pointer(path)) {
    if (node === null || typeof node !== 'object' || !(token in (node as Json))) throw new PatchError(`path not found: ${path}`);
    node = (node as Json)[token];
  }
  return node;
}

function removeAt(doc: Json, path: string): unknown {
  const { parent, key } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!(index >= 0 && index < parent.length)) throw new PatchError(`path not found: ${path}`);
    return parent.splice(index, 1)[0];
  }
  if (!(key in parent)) throw new PatchError(`path not found: ${path}`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(doc: Json, path: string, value: unknown, replace: boolean): void {
  const { parent, key } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!(index >= 0 && index <= parent.length)) throw new PatchError(`index out of range: ${path}`);
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else if (parent !== null && typeof parent === 'object') {
    if (replace && !(key in parent)) throw new PatchError(`path not found: ${path}`);
    parent[key] = value;
  } else throw new PatchError(`path not found: ${path}`);
}

export function applyJsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON Patch body must be an array');
  const doc = structuredClone(document);
  for (const op of operations as Json[]) {
    const clone = (v: unknown) => structuredClone(v);
    switch (op.op) {
      case 'add': addAt(doc, op.path, clone(op.value), false); break;
      case 'replace': addAt(doc, op.path, clone(op.value), true); break;
      case 'remove': removeAt(doc, op.path); break;
      case 'move': addAt(doc, op.path, removeAt(doc, op.from), false); break;
      case 'copy': addAt(doc, op.path, clone(getAt(doc, op.from)), false); break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) throw new PatchError(`test failed at ${op.path}`);
        break;
      default: throw new PatchError(`unknown patch operation ${String(op.op)}`);
    }
  }
  return doc;
}
