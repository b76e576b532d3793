// The part of Elasticsearch's query DSL that clients send as `query_filter`: bool (must, filter, should,
// must_not), term, terms, match_all. Anything else is refused the way the search engine refuses it.
import { ApiError } from '../apiError';
import type { Json } from '../types';

/** Keyword fields indexed with OpenMetadata's lower-case normaliser (matched without case). */
const NORMALISED_FIELDS = new Set(['fullyQualifiedName', 'name']);

export type DocumentTest = (doc: Json) => boolean;

function fieldValue(doc: Json, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.replace(/\.keyword$/, '').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function sameTerm(field: string, stored: unknown, wanted: unknown): boolean {
  const base = field.replace(/\.keyword$/, '');
  if (typeof stored === 'string' && typeof wanted === 'string' && NORMALISED_FIELDS.has(base.split('.').pop()!)) {
    return stored.toLowerCase() === wanted.toLowerCase();
  }
  // An absent boolean is indexed as its default, false (e.g. `deleted`).
  if (stored === undefined && wanted === false) return true;
  return stored === wanted;
}

function single(clause: Json | null | undefined, kind: string): [string, unknown] {
  const entries = Object.entries((clause ?? {}) as Record<string, unknown>);
  if (entries.length !== 1) throw new ApiError(400, `[${kind}] query malformed, expected one field`);
  return entries[0];
}

function asList(value: unknown): Json[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Json[];
}

function compile(query: Json): DocumentTest {
  const [kind, body] = single(query, 'query');
  const clause = body as Json;
  switch (kind) {
    case 'match_all':
      return () => true;
    case 'term': {
      const [field, spec] = single(clause, 'term');
      const wanted = spec !== null && typeof spec === 'object' ? (spec as Json).value : spec;
      return (doc) => sameTerm(field, fieldValue(doc, field), wanted);
    }
    case 'terms': {
      const [field, values] = single(clause, 'terms');
      if (!Array.isArray(values)) throw new ApiError(400, '[terms] query does not support a non-array value');
      const normalised = NORMALISED_FIELDS.has(field.replace(/\.keyword$/, ''));
      const wanted = new Set(values.map((v) => (normalised && typeof v === 'string' ? v.toLowerCase() : v)));
      return (doc) => {
        const stored = fieldValue(doc, field);
        return wanted.has(normalised && typeof stored === 'string' ? stored.toLowerCase() : stored);
      };
    }
    case 'bool': {
      const must = [...asList(clause.must), ...asList(clause.filter)].map(compile);
      const should = asList(clause.should).map(compile);
      const mustNot = asList(clause.must_not).map(compile);
      const minimumShould = Number(clause.minimum_should_match ?? (must.length === 0 && should.length > 0 ? 1 : 0));
      return (doc) => must.every((t) => t(doc)) && !mustNot.some((t) => t(doc))
        && should.filter((t) => t(doc)).length >= minimumShould;
    }
    default:
      throw new ApiError(400, `unknown query [${kind}]`);
  }
}

/** The test a `query_filter` parameter (a JSON query, with or without its `query` wrapper) stands for. */
export function parseQueryFilter(text: string | null): DocumentTest {
  if (!text) return () => true;
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'query_filter is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(400, 'query_filter must be a JSON object');
  return compile(parsed.query ?? parsed);
}
