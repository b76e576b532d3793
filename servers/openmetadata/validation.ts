// Request checks (the server's own rules, plus OpenMetadata's schemas when loaded), and the `fields`/`include`
// query parameters.
import { ApiError } from './apiError';
import { LIST_FIELDS, type Collection } from './collections';
import { ENTITY_PROPERTIES } from './rules/entityProperties';
import type { RequestValidator } from './rules/requestValidator';
import type { Json } from './types';

export function validate(validator: RequestValidator, schema: string, body: unknown): void {
  const message = validator.check(schema, body);
  if (message) throw new ApiError(400, message);
}

/** Drops relationship fields the client did not ask for; unknown field names are a 400. */
export function selectFields(collection: Collection, entity: Json, fieldsParam: string | null): Json {
  const requested = fieldsParam ? fieldsParam.split(',').map((f) => f.trim()).filter(Boolean) : [];
  const allowed = new Set(ENTITY_PROPERTIES[collection.type]);
  for (const field of requested) if (field !== '*' && !allowed.has(field)) throw new ApiError(400, `Invalid field name ${field}`);
  const wanted = requested.includes('*') ? new Set(collection.fields) : new Set(requested);
  const out: Json = {};
  for (const [key, value] of Object.entries(entity)) if (!collection.fields.includes(key) || wanted.has(key)) out[key] = value;
  for (const field of wanted) if (LIST_FIELDS.has(field) && collection.fields.includes(field) && !(field in out)) out[field] = [];
  return out;
}

export function includeParam(query: URLSearchParams): string {
  const include = query.get('include') ?? 'non-deleted';
  if (!['non-deleted', 'deleted', 'all'].includes(include)) throw new ApiError(400, `[query param include must be one of [non-deleted, deleted, all]]`);
  return include;
}
