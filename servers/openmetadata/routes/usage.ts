// Usage reports (PUT/POST /usage/{entity}/{id}): a count per entity and day, summed into the entity's
// usageSummary the way the server's UsageRepository does (daily, rolling 7 and 30 days).
import type { IncomingCall, Reply } from '../../http';
import { ApiError, notFound, reply } from '../apiError';
import type { Json } from '../types';
import { validate } from '../validation';
import type { RouteContext } from './context';

const USAGE_ENTITIES = new Set(['table', 'dashboard', 'chart', 'mlmodel']);
const DAY_MS = 24 * 60 * 60 * 1000;

/** Days of usage per entity id: date -> count. */
const usageByEntity = new WeakMap<RouteContext, Map<string, Map<string, number>>>();

function summaryOf(days: Map<string, number>, date: string): Json {
  const end = Date.parse(`${date}T00:00:00Z`);
  const sumWithin = (span: number) => [...days].reduce((sum, [day, count]) => {
    const at = Date.parse(`${day}T00:00:00Z`);
    return at <= end && at > end - span * DAY_MS ? sum + count : sum;
  }, 0);
  return {
    dailyStats: { count: days.get(date) ?? 0, percentileRank: 0 },
    weeklyStats: { count: sumWithin(7), percentileRank: 0 },
    monthlyStats: { count: sumWithin(30), percentileRank: 0 },
    date,
  };
}

export function handleUsage(ctx: RouteContext, rest: string, call: IncomingCall): Reply {
  const match = /^\/([a-zA-Z]+)\/(?:name\/(.+)|([^/]+))$/.exec(rest);
  if (!match || (call.method !== 'PUT' && call.method !== 'POST')) throw new ApiError(404, 'HTTP 404 Not Found');
  const [, entityType, fqn, byId] = match;
  if (!USAGE_ENTITIES.has(entityType)) throw new ApiError(400, `Invalid entity type ${entityType}`);
  validate(ctx.validator, 'usage', call.body);
  const entity = fqn !== undefined ? ctx.store.byFqn(entityType, decodeURIComponent(fqn), 'non-deleted') : ctx.store.get(byId);
  if (!entity || ctx.store.typeOf(entity.id) !== entityType || entity.deleted) throw notFound(entityType, fqn ?? byId);
  const id: string = entity.id;
  if (!usageByEntity.has(ctx)) usageByEntity.set(ctx, new Map());
  const all = usageByEntity.get(ctx)!;
  const days = all.get(id) ?? new Map<string, number>();
  const existed = all.has(id);
  all.set(id, days);
  const { date, count } = call.body as Json;
  days.set(date, count); // a repeated day is replaced, not added
  const latest = [...days.keys()].sort().at(-1)!;
  entity.usageSummary = summaryOf(days, latest);
  return reply(existed ? 200 : 201, { entity: ctx.store.ref(entity), usage: [{ date, count }] });
}
