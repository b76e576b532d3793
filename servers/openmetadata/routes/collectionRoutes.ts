// Generic entity endpoints: list, create (PUT/POST/bulk), get by id or name, patch, delete, restore.
import type { IncomingCall, Reply } from '../../http';
import { ApiError, notFound, patchOrBadRequest, reply } from '../apiError';
import type { Collection } from '../collections';
import { included } from '../entityStore';
import { createOrUpdate, saveChange } from '../entityWrites';
import { nextVersion } from '../mergeRules';
import { resolveTags } from '../resources/common';
import { applyCuration, overrideMetadataParam } from '../resources/curation';
import { fromRequest } from '../resources/fromRequest';
import { deleteStale } from './deleteStale';
import type { Json } from '../types';
import { includeParam, selectFields, validate } from '../validation';
import type { RouteContext } from './context';

const byFqnOrder = (a: Json, b: Json) => (a.fullyQualifiedName < b.fullyQualifiedName ? -1 : a.fullyQualifiedName > b.fullyQualifiedName ? 1 : 0);
const encodeFqnCursor = (fqn: string) => Buffer.from(fqn).toString('base64');
const decodeFqnCursor = (cursor: string) => Buffer.from(cursor, 'base64').toString('utf8');

/** Cursor paging over entities sorted by FQN; cursors are base64 FQNs. */
function listEntities(ctx: RouteContext, collection: Collection, query: URLSearchParams): Reply {
  const include = includeParam(query);
  const limit = Number(query.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 0 || limit > 1_000_000) throw new ApiError(400, '[query param limit must be less than or equal to 1000000]');
  const service = query.get('service');
  const all = ctx.store.ofType(collection.type)
    .filter((e) => included(e, include))
    .filter((e) => !service || e.service?.name === service || e.service?.fullyQualifiedName === service)
    .sort(byFqnOrder);
  const after = query.get('after');
  const before = query.get('before');
  let start = 0;
  if (after) start = all.findIndex((e) => e.fullyQualifiedName > decodeFqnCursor(after));
  else if (before) start = Math.max(0, all.filter((e) => e.fullyQualifiedName < decodeFqnCursor(before)).length - limit);
  if (start < 0) start = all.length;
  const page = all.slice(start, start + limit);
  const paging: Json = { total: all.length };
  if (start > 0 && page.length > 0) paging.before = encodeFqnCursor(page[0].fullyQualifiedName);
  if (start + limit < all.length && page.length > 0) paging.after = encodeFqnCursor(page[page.length - 1].fullyQualifiedName);
  return reply(200, { data: page.map((e) => selectFields(collection, e, query.get('fields'))), paging });
}

function createWithPut(ctx: RouteContext, collection: Collection, body: unknown): Reply {
  validate(ctx.validator, collection.createSchema!, body);
  const result = createOrUpdate(ctx.store, collection, body as Json);
  return reply(result.status, result.entity, result.change);
}

/** POST only creates: an existing FQN, even soft-deleted, is a conflict. */
function createWithPost(ctx: RouteContext, collection: Collection, body: unknown): Reply {
  validate(ctx.validator, collection.createSchema!, body);
  const fqn = fromRequest(ctx.store, collection.type, body as Json).fullyQualifiedName;
  if (ctx.store.hasFqn(collection.type, fqn)) throw new ApiError(409, 'Entity already exists');
  const result = createOrUpdate(ctx.store, collection, body as Json);
  return reply(result.status, result.entity, result.change);
}

/** Each request succeeds or fails on its own; the answer reports both lists. */
function bulk(ctx: RouteContext, collection: Collection, body: unknown, query: URLSearchParams): Reply {
  // 2.0 takes overrideMetadata (1.12 ignores query parameters it does not know, as JAX-RS does).
  const override = ctx.release === '2.0' ? overrideMetadataParam(query) : null;
  if (!Array.isArray(body)) throw new ApiError(400, '[request body must be an array]');
  const successRequest: Json[] = [];
  const failedRequest: Json[] = [];
  for (const request of body) {
    try {
      validate(ctx.validator, collection.createSchema!, request);
      const before = override === null ? undefined : ctx.store.byFqn(collection.type, fromRequest(ctx.store, collection.type, request).fullyQualifiedName, 'all');
      const result = createOrUpdate(ctx.store, collection, request);
      if (before && override !== null) applyCuration(ctx, collection.type, before, request, override);
      successRequest.push({ request: result.entity.fullyQualifiedName, status: result.status });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failedRequest.push({ request, message: error.message, status: 400 });
    }
  }
  if (ctx.bulkAnswersOmitting && successRequest.length > 0) {
    ctx.bulkAnswersOmitting--;
    successRequest.pop();
  }
  const status = failedRequest.length === 0 ? 'success' : successRequest.length === 0 ? 'failure' : 'partialSuccess';
  return reply(200, { status, numberOfRowsProcessed: body.length, numberOfRowsPassed: successRequest.length, numberOfRowsFailed: failedRequest.length, successRequest, failedRequest });
}

function restore(ctx: RouteContext, collection: Collection, body: unknown): Reply {
  validate(ctx.validator, 'api/data/restoreEntity.json', body);
  const entity = ctx.store.requireById(collection.type, (body as Json).id, 'all');
  if (!entity.deleted) return reply(200, entity, 'entityNoChange');
  const restored = { ...entity, deleted: false, version: nextVersion(entity.version), updatedAt: Date.now() };
  ctx.store.save(collection.type, restored);
  return reply(200, restored, 'entityRestored');
}

/** Soft delete marks the entity (and a service's children) deleted; hard delete forgets them. */
function deleteEntity(ctx: RouteContext, collection: Collection, entity: Json, query: URLSearchParams): Reply {
  const { store } = ctx;
  const hard = query.get('hardDelete') === 'true';
  const recursive = query.get('recursive') === 'true';
  const children = collection.type.endsWith('Service') ? store.all().filter((e) => e.service?.id === entity.id) : [];
  if (children.some((c) => !c.deleted || hard) && !recursive) throw new ApiError(400, `${collection.type} is not empty`);
  if (!hard && entity.deleted) throw notFound(collection.type, entity.id);
  for (const target of [...children, entity]) {
    if (hard) store.forget(target.id);
    else store.save(store.typeOf(target.id)!, { ...target, deleted: true, version: nextVersion(target.version), updatedAt: Date.now() });
  }
  return reply(200, hard ? entity : store.get(entity.id), hard ? 'entityDeleted' : 'entitySoftDeleted');
}

function patchEntity(ctx: RouteContext, collection: Collection, entity: Json, call: IncomingCall): Reply {
  const { store } = ctx;
  if (!(call.headers['content-type'] ?? '').includes('application/json-patch+json')) throw new ApiError(415, 'HTTP 415 Unsupported Media Type');
  validate(ctx.validator, 'jsonPatch', call.body);
  const patched = patchOrBadRequest(entity, call.body);
  for (const key of ['id', 'fullyQualifiedName', 'service']) {
    if (JSON.stringify(patched[key]) !== JSON.stringify(entity[key])) throw new ApiError(400, `Field ${key} can not be changed`);
  }
  // References arrive as {id, type}; store them as full references like a PUT would.
  for (const key of ['charts', 'owners', 'dashboards']) if (Array.isArray(patched[key])) patched[key] = patched[key].map((r: Json) => store.ref(store.requireById(r.type, r.id)));
  if (Array.isArray(patched.tags)) patched.tags = resolveTags(store, patched.tags);
  const { entity: saved, change } = saveChange(store, collection.type, entity, patched);
  return { ...reply(200, saved, change), headers: { 'X-OpenMetadata-Change': change, ETag: `"${saved.version}"` } };
}

/** Routes `rest`, the path after the collection's own (e.g. `/name/x`), to its handler. */
export function handleCollection(ctx: RouteContext, collection: Collection, rest: string, call: IncomingCall): Reply {
  const query = call.url.searchParams;
  const method = call.method;
  if (rest === '' && method === 'GET') return listEntities(ctx, collection, query);
  if (rest === '' && method === 'PUT' && collection.createSchema) return createWithPut(ctx, collection, call.body);
  if (rest === '' && method === 'POST' && collection.createSchema) return createWithPost(ctx, collection, call.body);
  if (rest === '/bulk' && method === 'PUT' && collection.createSchema) return bulk(ctx, collection, call.body, query);
  if (rest === '/deleteStale' && method === 'DELETE' && ctx.release === '2.0') return deleteStale(ctx, collection, call.body);
  if (rest === '/restore' && method === 'PUT') return restore(ctx, collection, call.body);
  const byName = /^\/name\/(.+)$/.exec(rest);
  const byIdMatch = /^\/([0-9a-fA-F-]{36})$/.exec(rest);
  if (!byName && !byIdMatch) throw new ApiError(404, 'HTTP 404 Not Found');
  const include = method === 'GET' ? includeParam(query) : method === 'DELETE' ? 'all' : 'non-deleted';
  const entity = byName ? ctx.store.byFqn(collection.type, decodeURIComponent(byName[1]), include) : ctx.store.get(byIdMatch![1]);
  const key = byName ? decodeURIComponent(byName[1]) : byIdMatch![1];
  if (!entity || ctx.store.typeOf(entity.id) !== collection.type || !included(entity, include)) throw notFound(collection.type, key);
  if (method === 'GET') return reply(200, selectFields(collection, entity, query.get('fields')));
  if (method === 'DELETE') return deleteEntity(ctx, collection, entity, query);
  if (method === 'PATCH') return patchEntity(ctx, collection, entity, call);
  throw new ApiError(405, 'HTTP 405 Method Not Allowed');
}
