// Dispatches a call under /api/v1: open system endpoints, the bearer-token check, then resources.
import type { IncomingCall, Reply } from '../../http';
import { ApiError, reply } from '../apiError';
import { collectionForResource } from '../collections';
import { handleCollection } from './collectionRoutes';
import type { RouteContext } from './context';
import { handleLineage } from './lineage';
import { handlePipelineStatus, isPipelineStatusPath } from './pipelineStatus';
import { handleProgress, isProgressPath } from './progress';
import { search } from './search';
import { handleUsage } from './usage';

export interface RouterSettings {
  /** The only accepted bot token. */
  jwt: string;
  /** Reported by /system/version. */
  version: string;
}

const unauthorized = (message: string): Reply => ({ status: 401, body: { code: 401, message }, headers: { 'WWW-Authenticate': 'om-auth' } });

export function route(ctx: RouteContext, settings: RouterSettings, call: IncomingCall): Reply {
  const match = /^\/api\/v1\/(.*?)\/?$/.exec(call.path);
  if (!match) throw new ApiError(404, 'HTTP 404 Not Found');
  const resource = match[1];
  if (call.method === 'GET' && resource === 'system/version') return reply(200, { version: settings.version, revision: 'local-test-double', timestamp: Date.now() });
  if (call.method === 'GET' && resource === 'system/health') return { status: 200, body: 'OK', headers: { 'Content-Type': 'text/plain' } };
  const authorization = call.headers.authorization;
  if (!authorization || !authorization.startsWith('Bearer ')) return unauthorized('Not Authorized! Token not present');
  if (authorization.slice('Bearer '.length) !== settings.jwt) return unauthorized('Not Authorized! Invalid token.');
  if (call.bodyIsInvalidJson) throw new ApiError(400, 'Unable to process JSON');
  if (call.method === 'GET' && (resource === 'search/query' || resource === 'search/fieldQuery')) return search(ctx.store, resource.split('/')[1], call.url.searchParams);
  if (resource === 'lineage' || resource.startsWith('lineage/')) return handleLineage(ctx, resource.slice('lineage'.length), call);
  if (resource.startsWith('usage/')) return handleUsage(ctx, resource.slice('usage'.length), call);
  if (isProgressPath(ctx, resource)) return handleProgress(ctx, resource, call);
  if (isPipelineStatusPath(resource)) return handlePipelineStatus(ctx, resource, call);
  const collection = collectionForResource(resource);
  if (!collection) throw new ApiError(404, 'HTTP 404 Not Found');
  return handleCollection(ctx, collection, resource.slice(collection.path.length).replace(/\/$/, ''), call);
}
