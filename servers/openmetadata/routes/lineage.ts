// Lineage endpoints: add, read (edge or graph), patch and delete edges between stored entities.
import type { IncomingCall, Reply } from '../../http';
import { ApiError, notFound, patchOrBadRequest, reply } from '../apiError';
import type { EntityStore } from '../entityStore';
import { BOT } from '../mergeRules';
import type { Json } from '../types';
import { validate } from '../validation';
import type { RouteContext } from './context';

const edgeKey = (fromId: string, toId: string) => `${fromId}|${toId}`;

/** Column lineage naming columns the table does not have is dropped silently, as the server does. */
function keepKnownColumns(details: Json, from: Json, to: Json): Json {
  if (!Array.isArray(details.columnsLineage)) return details;
  const columnsOf = (entity: Json) => (Array.isArray(entity.columns) ? new Set(entity.columns.map((c: Json) => c.fullyQualifiedName)) : undefined);
  const fromColumns = columnsOf(from);
  const toColumns = columnsOf(to);
  const columnsLineage = details.columnsLineage
    .map((entry: Json) => ({ ...entry, fromColumns: (entry.fromColumns ?? []).filter((c: string) => !fromColumns || fromColumns.has(c)) }))
    .filter((entry: Json) => entry.fromColumns.length > 0 && (entry.toColumn === undefined || !toColumns || toColumns.has(entry.toColumn)));
  return { ...details, columnsLineage };
}

/** PUT /lineage: creates or replaces an edge, keeping its original creation stamp. */
function addLineage(ctx: RouteContext, body: unknown): Reply {
  validate(ctx.validator, 'api/lineage/addLineage.json', body);
  return saveEdge(ctx, (body as Json).edge);
}

function saveEdge(ctx: RouteContext, edge: Json): Reply {
  const { store } = ctx;
  const from = store.requireById(edge.fromEntity.type, edge.fromEntity.id);
  const to = store.requireById(edge.toEntity.type, edge.toEntity.id);
  const given: Json | undefined = edge.lineageDetails && keepKnownColumns(edge.lineageDetails, from, to);
  if (given?.pipeline) store.requireById(given.pipeline.type, given.pipeline.id);
  const key = edgeKey(from.id, to.id);
  const previous = store.edges.get(key)?.lineageDetails as Json | undefined;
  const now = Date.now();
  const lineageDetails = {
    ...(given ?? {}), ...(edge.description ? { description: edge.description } : {}), source: given?.source ?? 'Manual',
    createdAt: previous?.createdAt ?? now, createdBy: previous?.createdBy ?? BOT, updatedAt: now, updatedBy: BOT,
  };
  store.edges.set(key, { fromId: from.id, fromType: edge.fromEntity.type, toId: to.id, toType: edge.toEntity.type, lineageDetails });
  return reply(200);
}

/**
 * The depth query parameters as the resource declares them (`int`, default 1, @Min(0) @Max(3)): a value that is
 * not an int fails JAX-RS conversion (404), one out of range fails bean validation (400, every violation).
 */
function depths(query: URLSearchParams): { up: number; down: number } {
  const violations: string[] = [];
  const read = (name: string) => {
    const raw = query.get(name);
    if (raw === null) return 1;
    if (!/^[+-]?\d+$/.test(raw.trim())) throw new ApiError(404, 'HTTP 404 Not Found');
    const value = Number(raw);
    if (value < 0) violations.push(`query param ${name} must be greater than or equal to 0`);
    if (value > 3) violations.push(`query param ${name} must be less than or equal to 3`);
    return value;
  };
  const up = read('upstreamDepth');
  const down = read('downstreamDepth');
  if (violations.length) throw new ApiError(400, `[${violations.join(', ')}]`);
  return { up, down };
}

/**
 * Walks edges up and down from `root` to the requested depths. The root must be live (the caller looks it up
 * without deleted entities); neighbours are listed even when soft-deleted, with `deleted: true`, as the
 * server reads them with Include.ALL. Hard-deleted entities took their edges with them.
 */
function lineageGraph(store: EntityStore, root: Json, query: URLSearchParams): Reply {
  const { up, down } = depths(query);
  const nodes = new Map<string, Json>();
  const walk = (direction: 'up' | 'down', maxDepth: number) => {
    const collected: Json[] = [];
    let frontier = new Set<string>([root.id]);
    for (let level = 0; level < maxDepth && frontier.size > 0; level++) {
      const next = new Set<string>();
      const edges = [...new Set([...frontier].flatMap((id) => store.edges.touching(id)))];
      for (const edge of edges) {
        const [near, far] = direction === 'up' ? [edge.toId, edge.fromId] : [edge.fromId, edge.toId];
        const farEntity = store.get(far);
        if (!frontier.has(near) || !farEntity) continue;
        collected.push({ fromEntity: edge.fromId, toEntity: edge.toId, ...(edge.lineageDetails ? { lineageDetails: edge.lineageDetails } : {}) });
        if (far !== root.id && !nodes.has(far)) nodes.set(far, store.ref(farEntity));
        next.add(far);
      }
      frontier = next;
    }
    return collected;
  };
  const upstreamEdges = walk('up', up);
  const downstreamEdges = walk('down', down);
  return reply(200, { entity: store.ref(root), nodes: [...nodes.values()], upstreamEdges, downstreamEdges });
}

const NAMED_EDGE = /^\/([^/]+)\/name\/(.+)\/([^/]+)\/name\/(.+)$/;

/** 2.0's PUT /lineage/{fromType}/name/{fromFqn}/{toType}/name/{toFqn}: an edge by FQNs, body LineageDetails. */
function addLineageByName(ctx: RouteContext, rest: string, body: unknown): Reply {
  const [, fromType, fromFqn, toType, toFqn] = NAMED_EDGE.exec(rest)!;
  if (body !== undefined) validate(ctx.validator, 'type/entityLineage.json#/definitions/lineageDetails', body);
  const from = ctx.store.byFqn(fromType, decodeURIComponent(fromFqn));
  if (!from) throw notFound(fromType, decodeURIComponent(fromFqn));
  const to = ctx.store.byFqn(toType, decodeURIComponent(toFqn));
  if (!to) throw notFound(toType, decodeURIComponent(toFqn));
  const edge = { fromEntity: { id: from.id, type: fromType }, toEntity: { id: to.id, type: toType }, ...(body ? { lineageDetails: body } : {}) };
  return saveEdge(ctx, edge);
}

/** The edge a `/{fromType}/{fromId}/{toType}/{toId}` or `/{type}/name/{fqn}/{type}/name/{fqn}` path names. */
function namedEdgeKey(store: EntityStore, rest: string, segments: string[]): string | undefined {
  let endpoints: [string, string] | undefined;
  if (segments.length === 4) endpoints = [segments[1], segments[3]];
  const named = /^\/([^/]+)\/name\/(.+)\/([^/]+)\/name\/(.+)$/.exec(rest);
  if (named) {
    const from = store.byFqn(named[1], decodeURIComponent(named[2]));
    const to = store.byFqn(named[3], decodeURIComponent(named[4]));
    endpoints = [from?.id ?? '', to?.id ?? ''];
  }
  return endpoints && edgeKey(endpoints[0], endpoints[1]);
}

/** `rest` is the path after `lineage`, empty or starting with a slash. */
export function handleLineage(ctx: RouteContext, rest: string, call: IncomingCall): Reply {
  const { store } = ctx;
  const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const method = call.method;
  if (rest === '' && method === 'PUT') return addLineage(ctx, call.body);
  if (method === 'GET' && segments[0] === 'getLineageEdge' && segments.length === 3) {
    const edge = store.edges.get(edgeKey(segments[1], segments[2]));
    if (!edge) throw new ApiError(404, 'Lineage edge not found');
    return reply(200, { edge: edge.lineageDetails });
  }
  if (method === 'GET' && segments[1] === 'name' && segments.length >= 3) {
    const fqn = decodeURIComponent(rest.split('/name/')[1]);
    const root = store.byFqn(segments[0], fqn);
    if (!root) throw notFound(segments[0], fqn);
    return lineageGraph(store, root, call.url.searchParams);
  }
  if (method === 'GET' && segments.length === 2) return lineageGraph(store, store.requireById(segments[0], segments[1]), call.url.searchParams);
  if (method === 'DELETE' && segments.length === 4 && segments[2] === 'type') {
    for (const [key, edge] of store.edges) if (edge.toId === segments[1] && (edge.lineageDetails as Json)?.source === segments[3]) store.edges.delete(key);
    return reply(200);
  }
  if (method === 'PUT' && ctx.release === '2.0' && NAMED_EDGE.test(rest)) return addLineageByName(ctx, rest, call.body);
  const key = namedEdgeKey(store, rest, segments);
  if (!key) throw new ApiError(404, 'HTTP 404 Not Found');
  const edge = store.edges.get(key);
  if (!edge) throw new ApiError(404, 'Lineage edge not found');
  if (method === 'DELETE') {
    store.edges.delete(key);
    return reply(200);
  }
  if (method === 'PATCH') {
    validate(ctx.validator, 'jsonPatch', call.body);
    edge.lineageDetails = patchOrBadRequest((edge.lineageDetails ?? {}) as Json, call.body);
    return reply(200);
  }
  throw new ApiError(405, 'HTTP 405 Method Not Allowed');
}
