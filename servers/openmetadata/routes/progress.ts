// OpenMetadata 2.0's live progress of a pipeline run: PUT /services/ingestionPipelines/progress/{fqn}/{runId}
// (a ProgressUpdate) and POST /services/ingestionPipelines/metrics/{fqn}/{runId}. Not served as 1.12.
import type { IncomingCall, Reply } from '../../http';
import { ApiError, notFound, reply } from '../apiError';
import type { Json } from '../types';
import { validate } from '../validation';
import type { RouteContext } from './context';

export interface ProgressUpdateRecord {
  pipeline: string;
  runId: string;
  update: Json;
}

const updatesOf = new WeakMap<RouteContext, ProgressUpdateRecord[]>();

export function progressUpdates(ctx: RouteContext): ProgressUpdateRecord[] {
  let updates = updatesOf.get(ctx);
  if (!updates) {
    updates = [];
    updatesOf.set(ctx, updates);
  }
  return updates;
}

const PROGRESS_PATH = /^services\/ingestionPipelines\/(progress|metrics)\/(.+)\/([^/]+)$/;

export function isProgressPath(ctx: RouteContext, resource: string): boolean {
  return ctx.release === '2.0' && PROGRESS_PATH.test(resource);
}

export function handleProgress(ctx: RouteContext, resource: string, call: IncomingCall): Reply {
  const [, kind, encodedFqn, encodedRunId] = PROGRESS_PATH.exec(resource)!;
  const fqn = decodeURIComponent(encodedFqn);
  const runId = decodeURIComponent(encodedRunId);
  const pipeline = ctx.store.byFqn('ingestionPipeline', fqn, 'non-deleted');
  if (!pipeline) throw notFound('ingestionPipeline', fqn);
  if (kind === 'metrics') {
    if (call.method !== 'POST') throw new ApiError(405, 'HTTP 405 Method Not Allowed');
    if (!call.body || typeof call.body !== 'object') throw new ApiError(400, '[request body must be an object]');
    return reply(200);
  }
  if (call.method !== 'PUT') throw new ApiError(405, 'HTTP 405 Method Not Allowed');
  validate(ctx.validator, 'progressUpdate', call.body);
  const update = call.body as Json;
  if (update.runId !== runId) throw new ApiError(400, `[runId ${update.runId} of the body is not the run ${runId} of the path]`);
  progressUpdates(ctx).push({ pipeline: pipeline.fullyQualifiedName, runId, update: structuredClone(update) });
  return reply(200);
}
