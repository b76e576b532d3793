// Run statuses of an ingestion pipeline (PUT/GET /services/ingestionPipelines/{fqn}/pipelineStatus[/{runId}]):
// one status per runId, a PUT with a known runId replacing it; the pipeline shows its latest in `pipelineStatuses`
// (2.0: all of them, as a list).
import type { IncomingCall, Reply } from '../../http';
import { ApiError, notFound, reply } from '../apiError';
import type { Json } from '../types';
import { validate } from '../validation';
import type { RouteContext } from './context';

/** The rule (an OpenMetadata schema definition) a status body is checked against. */
export const PIPELINE_STATUS_SCHEMA = 'entity/services/ingestionPipelines/ingestionPipeline.json#/definitions/pipelineStatus';

export interface PipelineStatusWrite {
  pipeline: string;
  status: Json;
}

/** Per context: statuses by pipeline id, then run id; and every accepted write in order. */
const runsOf = new WeakMap<RouteContext, { byPipeline: Map<string, Map<string, Json>>; writes: PipelineStatusWrite[] }>();

export function pipelineRuns(ctx: RouteContext) {
  let runs = runsOf.get(ctx);
  if (!runs) {
    runs = { byPipeline: new Map(), writes: [] };
    runsOf.set(ctx, runs);
  }
  return runs;
}

const STATUS_PATH = /^services\/ingestionPipelines\/(.+?)\/pipelineStatus(?:\/([^/]+))?$/;

/** Whether `resource` is a status path (the collection's own routes serve the rest). */
export function isPipelineStatusPath(resource: string): boolean {
  return STATUS_PATH.test(resource) && !resource.startsWith('services/ingestionPipelines/name/');
}

export function handlePipelineStatus(ctx: RouteContext, resource: string, call: IncomingCall): Reply {
  const [, encodedFqn, runId] = STATUS_PATH.exec(resource)!;
  const fqn = decodeURIComponent(encodedFqn);
  const pipeline = ctx.store.byFqn('ingestionPipeline', fqn, 'non-deleted');
  if (!pipeline) throw notFound('ingestionPipeline', fqn);
  const runs = pipelineRuns(ctx);
  const statuses = runs.byPipeline.get(pipeline.id) ?? new Map<string, Json>();
  runs.byPipeline.set(pipeline.id, statuses);
  if (call.method === 'PUT' && runId === undefined) {
    validate(ctx.validator, PIPELINE_STATUS_SCHEMA, call.body);
    const status = structuredClone(call.body as Json);
    if (typeof status.runId !== 'string') throw new ApiError(400, '[runId must not be null]');
    statuses.set(status.runId, status);
    runs.writes.push({ pipeline: pipeline.fullyQualifiedName, status: structuredClone(status) });
    // 1.12 shows the latest status; 2.0 a list of the pipeline's statuses, latest first.
    pipeline.pipelineStatuses = ctx.release === '2.0'
      ? [...statuses.values()].sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0)).map((s) => structuredClone(s))
      : structuredClone(status);
    return reply(200, { entity: ctx.store.ref(pipeline) }, 'entityUpdated');
  }
  if (call.method === 'GET' && runId !== undefined) {
    const status = statuses.get(decodeURIComponent(runId));
    if (!status) throw new ApiError(404, `pipelineStatus instance for ${runId} not found`);
    return reply(200, status);
  }
  if (call.method === 'GET') {
    const query = call.url.searchParams;
    const startTs = Number(query.get('startTs'));
    const endTs = Number(query.get('endTs'));
    if (!query.get('startTs') || !query.get('endTs') || !Number.isFinite(startTs) || !Number.isFinite(endTs)) {
      throw new ApiError(400, '[query param startTs must not be null, query param endTs must not be null]');
    }
    const data = [...statuses.values()].filter((s) => (s.timestamp ?? 0) >= startTs && (s.timestamp ?? 0) <= endTs);
    return reply(200, { data, paging: { total: data.length } });
  }
  throw new ApiError(405, 'HTTP 405 Method Not Allowed');
}
