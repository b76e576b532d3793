// Fields a person set in OpenMetadata (description, displayName, owners). OpenMetadata 2.0's bulk write keeps
// them unless the request says `overrideMetadata=true`; 1.12's writes follow the ordinary PUT merge rules.
import { ApiError, notFound } from '../apiError';
import { nextVersion } from '../mergeRules';
import type { RouteContext } from '../routes/context';
import type { Json } from '../types';

export const CURATED_FIELDS = ['description', 'displayName', 'owners'] as const;

function curatedOf(ctx: RouteContext): Map<string, Set<string>> {
  ctx.curated ??= new Map();
  return ctx.curated;
}

/** Sets fields of a stored entity as a user would (test hook). */
export function curate(ctx: RouteContext, type: string, fqn: string, fields: Json): void {
  const entity = ctx.store.byFqn(type, fqn, 'non-deleted');
  if (!entity) throw notFound(type, fqn);
  const next: Json = { ...entity, version: nextVersion(entity.version), updatedAt: Date.now(), updatedBy: 'admin' };
  const marks = curatedOf(ctx).get(entity.id) ?? new Set<string>();
  for (const field of CURATED_FIELDS) {
    if (fields[field] === undefined) continue;
    next[field] = field === 'owners' ? fields.owners.map((o: Json) => ctx.store.ref(ctx.store.requireById(o.type, o.id))) : fields[field];
    marks.add(field);
  }
  curatedOf(ctx).set(entity.id, marks);
  ctx.store.save(type, next);
}

/** The `overrideMetadata` query parameter of a 2.0 bulk write (a boolean, default false). */
export function overrideMetadataParam(query: URLSearchParams): boolean {
  const raw = query.get('overrideMetadata');
  if (raw === null || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ApiError(400, `[query param overrideMetadata must be true or false, not ${raw}]`);
}

/**
 * After a 2.0 bulk write of `request` over `before`: curated fields keep the user's values, or, with
 * overrideMetadata, take the request's (and are no longer the user's).
 */
export function applyCuration(ctx: RouteContext, type: string, before: Json, request: Json, override: boolean): void {
  const marks = curatedOf(ctx).get(before.id);
  const written = ctx.store.get(before.id);
  if (!marks || marks.size === 0 || !written) return;
  const next: Json = { ...written };
  for (const field of [...marks]) {
    if (!override) next[field] = before[field];
    else if (request[field] !== undefined) {
      if (field === 'description') next.description = request.description;
      marks.delete(field);
    }
  }
  ctx.store.save(type, next);
}
