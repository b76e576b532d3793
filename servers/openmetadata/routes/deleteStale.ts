// DELETE /{collection}/deleteStale (OpenMetadata 2.0): marks deleted, in one request, the entities of a service
// that the caller's run did not see. Answers what it deleted (or would delete, with dryRun).
import type { Reply } from '../../http';
import { ApiError, notFound, reply } from '../apiError';
import type { Collection } from '../collections';
import { nextVersion } from '../mergeRules';
import type { Json } from '../types';
import { validate } from '../validation';
import type { RouteContext } from './context';

export function deleteStale(ctx: RouteContext, collection: Collection, body: unknown): Reply {
  const { store } = ctx;
  if (body === undefined) throw new ApiError(400, '[request body must not be null]');
  validate(ctx.validator, 'deleteStale', body);
  const { scopeFqn, seenFqns, dryRun = false, hardDelete = false } = body as Json;
  const serviceType = collection.type === 'table' ? 'databaseService' : 'dashboardService';
  const service = store.byFqn(serviceType, scopeFqn, 'non-deleted');
  if (!service) throw notFound(serviceType, scopeFqn);
  const seen = new Set<string>(seenFqns);
  const stale = store.ofType(collection.type).filter((e) => !e.deleted && e.service?.id === service.id && !seen.has(e.fullyQualifiedName));
  if (!dryRun) {
    for (const entity of stale) {
      if (hardDelete) store.forget(entity.id);
      else store.save(collection.type, { ...entity, deleted: true, version: nextVersion(entity.version), updatedAt: Date.now() });
    }
  }
  return reply(200, { dryRun, hardDelete, count: stale.length, entities: stale.map((e) => store.ref(e)) });
}
