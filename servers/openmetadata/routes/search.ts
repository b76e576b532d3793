// The search endpoints, answering from the store in Elasticsearch's response shape.
import type { Reply } from '../../http';
import { ApiError, reply } from '../apiError';
import type { EntityStore } from '../entityStore';
import type { Json } from '../types';
import { parseQueryFilter } from './searchFilter';

const SEARCH_INDEXES: Record<string, string> = {
  user_search_index: 'user', team_search_index: 'team', table_search_index: 'table',
  dashboard_search_index: 'dashboard', chart_search_index: 'chart', tag_search_index: 'tag',
  classification_search_index: 'classification',
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Elasticsearch wildcard syntax (`*`, `?`, backslash escapes) as a case-insensitive RegExp. */
function wildcardRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 'is');
}

/** `include_source_fields` (repeated) narrows each hit's `_source` to those fields. */
function sourceOf(store: EntityStore, doc: Json, fields: string[]): Json {
  const full: Json = { ...doc, entityType: store.typeOf(doc.id) };
  if (fields.length === 0) return full;
  return Object.fromEntries(fields.filter((f) => f in full).map((f) => [f, full[f]]));
}

function searchHits(store: EntityStore, index: string, docs: Json[], size: number, sourceFields: string[] = []): Reply {
  const hits = docs.slice(0, size).map((doc) => ({ _index: index, _type: '_doc', _id: doc.id, _score: 1, _source: sourceOf(store, doc, sourceFields) }));
  return reply(200, { took: 1, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { total: { value: docs.length, relation: 'eq' }, max_score: hits.length ? 1 : null, hits } });
}

/** The documents of the `index` query parameter, deleted ones only when `deleted=true`. */
function indexed(store: EntityStore, query: URLSearchParams): { index: string; docs: Json[] } {
  const index = query.get('index') ?? 'table_search_index';
  const type = SEARCH_INDEXES[index];
  if (!type) throw new ApiError(400, `Failed to find index ${index}`);
  const deleted = query.get('deleted') === 'true';
  return { index, docs: store.ofType(type).filter((e) => (e.deleted === true) === deleted) };
}

/** `kind` is `query` (q=, from=, size=) or `fieldQuery` (fieldName=, fieldValue= wildcard). */
export function search(store: EntityStore, kind: string, query: URLSearchParams): Reply {
  const { index, docs } = indexed(store, query);
  if (kind === 'fieldQuery') {
    const field = query.get('fieldName') ?? '';
    // The FQN keyword field is lower-case normalised, so wildcard matching ignores case.
    const pattern = wildcardRegExp(query.get('fieldValue') ?? '*');
    return searchHits(store, index, docs.filter((d) => typeof d[field] === 'string' && pattern.test(d[field])), 10);
  }
  const q = query.get('q') ?? '*';
  const from = Number(query.get('from') ?? 0);
  const size = Number(query.get('size') ?? 10);
  const keyword = /^([\w.]+)\.keyword:(.*)$/s.exec(q);
  const filter = parseQueryFilter(query.get('query_filter'));
  const matches = (keyword
    ? docs.filter((d) => d[keyword[1]] === keyword[2])
    : q === '*' ? docs : docs.filter((d) => [d.name, d.displayName, d.fullyQualifiedName].some((v) => typeof v === 'string' && v.toLowerCase().includes(q.toLowerCase())))
  ).filter(filter);
  if (!Number.isInteger(size) || size < 0 || from + size > 10_000) {
    throw new ApiError(400, 'Result window is too large, from + size must be less than or equal to: [10000]');
  }
  return searchHits(store, index, matches.slice(from), size, query.getAll('include_source_fields'));
}
