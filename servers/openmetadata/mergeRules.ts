// OpenMetadata's rules for deciding whether a write changed an entity, and how versions move.
import type { Json } from './types';

/** The user the double records as author of every API write. */
export const BOT = 'ingestion-bot';
const MASKED_SECRET = '*********';

/** Key-order independent JSON, so a rebuilt entity compares equal to the stored one. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Equal for two versions of an entity that differ only in bookkeeping fields. */
export function sameContent(a: Json, b: Json): boolean {
  return comparable(a) === comparable(b);
}

function comparable(entity: Json): string {
  const { version: _v, updatedAt: _u, updatedBy: _b, changeDescription: _c, ...rest } = entity;
  return canonical(rest);
}

/** Minor version bump, rounded so 0.1 steps do not drift in floating point. */
export function nextVersion(version: number): number {
  return Math.round((version + 0.1) * 10) / 10;
}

/** Keeps stored secrets where a client sends back the masked placeholder. */
export function keepMaskedSecrets(next: unknown, stored: unknown): unknown {
  if (next === MASKED_SECRET && typeof stored === 'string') return stored;
  if (next && typeof next === 'object' && !Array.isArray(next) && stored && typeof stored === 'object') {
    return Object.fromEntries(Object.entries(next as Json).map(([k, v]) => [k, keepMaskedSecrets(v, (stored as Json)[k])]));
  }
  return next;
}
