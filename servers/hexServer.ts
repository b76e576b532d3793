// Local double of the Hex public REST API (projects, cells, users/me) with auth, rate limits and faults.
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor, startJsonServer, type Fault, type IncomingCall, type RecordedRequest, type Reply } from './http';

export { makeProject, makeWorkspace, makeSqlCell } from './fixtures';
export type { RecordedRequest } from './http';

export type { HexAccess, HexSharing, HexSchedule, HexProject, HexDataConnection, HexCell, HexTokenInfo } from './hexTypes';
import type { HexAccess, HexSharing, HexSchedule, HexProject, HexDataConnection, HexCell, HexTokenInfo } from './hexTypes';

export interface HexServerOptions {
  projects: HexProject[];
  /** Personal tokens see only projects they own or created (by email). */
  tokens: Record<string, HexTokenInfo>;
  /** Per token, sliding 60 s window; beyond it requests get 429. */
  rateLimitPerMinute?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
  cells?: Record<string, HexCell[]>;
  /** Served by GET /v1/data-connections, sorted by name. */
  dataConnections?: HexDataConnection[];
  /** Workspace (org) id reported by /users/me. */
  orgId?: string;
}
export interface HexServer {
  /** Web origin; the API lives under /api/v1. */
  url: string;
  requests: RecordedRequest[];
  /** The next `times` requests whose path matches answer with this fault instead. */
  injectFault(fault: Fault): void;
  setProjects(projects: HexProject[]): void;
  close(): Promise<void>;
}

type Family = 'older' | 'newer';
const SORT_COLUMNS = { CREATED_AT: 'createdAt', LAST_EDITED_AT: 'lastEditedAt', LAST_PUBLISHED_AT: 'lastPublishedAt' } as const;
type SortBy = keyof typeof SORT_COLUMNS;

class BadRequest extends Error {}

function traceId(): string {
  return randomBytes(16).toString('hex');
}

/** Older (tsoa) endpoints answer `{reason, details, traceId}`, newer ones `{code, message, issues}`. */
function errorReply(family: Family, status: number, code: string, message: string, details = message): Reply {
  const body = family === 'older' ? { reason: message, details, traceId: traceId() } : { code, message, issues: details === message ? [] : [{ message: details }] };
  return { status, body, headers: { 'x-trace-id': traceId() } };
}

function single(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function parseBool(query: URLSearchParams, name: string): boolean {
  const value = single(query, name);
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new BadRequest(`${name} must be true or false`);
  return value === 'true';
}

function parseLimit(query: URLSearchParams): number {
  const raw = single(query, 'limit');
  if (raw === undefined) return 25;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BadRequest('limit must be an integer between 1 and 100');
  return limit;
}

/** Accepts both `statuses=A&statuses=B` and `statuses=A,B`. */
function parseList(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

type Key = [string, string];

function compareKeys(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function decodeKey(cursor: string): Key {
  try {
    const value = decodeCursor(cursor);
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') return [String(value[0] ?? ''), value[1]];
  } catch {
    // fall through to the uniform error below
  }
  throw new BadRequest('Invalid pagination cursor');
}

/** Keyset page over items already in display order; `keyOf` must order consistently with `direction`. */
function keysetPage<T>(items: T[], keyOf: (item: T) => Key, direction: 'ASC' | 'DESC', limit: number, query: URLSearchParams) {
  const sign = direction === 'ASC' ? 1 : -1;
  const order = (a: Key, b: Key) => sign * compareKeys(a, b);
  const after = single(query, 'after');
  const before = single(query, 'before');
  if (after && before) throw new BadRequest('Only one of after and before may be given');
  let page: T[];
  if (after) {
    const cursor = decodeKey(after);
    page = items.filter((item) => order(keyOf(item), cursor) > 0).slice(0, limit);
  } else if (before) {
    const cursor = decodeKey(before);
    const earlier = items.filter((item) => order(keyOf(item), cursor) < 0);
    page = earlier.slice(Math.max(0, earlier.length - limit));
  } else {
    page = items.slice(0, limit);
  }
  const first = page[0];
  const last = page[page.length - 1];
  const hasMore = last !== undefined && items.some((item) => order(keyOf(item), keyOf(last)) > 0);
  return {
    values: page,
    pagination: {
      after: hasMore ? encodeCursor(keyOf(last)) : null,
      before: first !== undefined ? encodeCursor(keyOf(first)) : null,
    },
  };
}

function visibleTo(token: HexTokenInfo, project: HexProject): boolean {
  if (token.kind === 'workspace') return true;
  const email = token.email?.toLowerCase();
  return email !== undefined && (project.owner.email.toLowerCase() === email || project.creator.email.toLowerCase() === email);
}

function present(project: HexProject, includeSharing: boolean): HexProject {
  const { sharing, ...rest } = project;
  if (!includeSharing) return rest;
  return {
    ...rest,
    sharing: sharing ?? { users: [], collections: [], groups: [], workspace: { access: 'NONE' }, publicWeb: { access: 'NONE' }, support: { access: 'NONE' } },
  };
}

function listProjects(all: HexProject[], token: HexTokenInfo, query: URLSearchParams): Reply {
  const limit = parseLimit(query);
  const sortBy = (single(query, 'sortBy') ?? 'CREATED_AT') as SortBy;
  if (!(sortBy in SORT_COLUMNS)) throw new BadRequest('sortBy must be one of CREATED_AT, LAST_EDITED_AT, LAST_PUBLISHED_AT');
  const direction = single(query, 'sortDirection') ?? 'DESC';
  if (direction !== 'ASC' && direction !== 'DESC') throw new BadRequest('sortDirection must be ASC or DESC');
  const includeArchived = parseBool(query, 'includeArchived');
  const includeTrashed = parseBool(query, 'includeTrashed');
  const includeComponents = parseBool(query, 'includeComponents');
  const includeSharing = parseBool(query, 'includeSharing');
  const statuses = parseList(query, 'statuses');
  const categories = parseList(query, 'categories');
  const creatorEmail = single(query, 'creatorEmail')?.toLowerCase();
  const ownerEmail = single(query, 'ownerEmail')?.toLowerCase();
  const collectionId = single(query, 'collectionId');

  const column = SORT_COLUMNS[sortBy];
  const keyOf = (p: HexProject): Key => [p[column] ?? '', p.id];
  const matching = all
    .filter((p) => visibleTo(token, p))
    .filter((p) => includeArchived || p.archivedAt === null)
    .filter((p) => includeTrashed || p.trashedAt === null)
    .filter((p) => includeComponents || p.type !== 'COMPONENT')
    .filter((p) => statuses.length === 0 || (p.status !== null && statuses.includes(p.status.name)))
    .filter((p) => categories.length === 0 || p.categories.some((c) => categories.includes(c.name)))
    .filter((p) => creatorEmail === undefined || p.creator.email.toLowerCase() === creatorEmail)
    .filter((p) => ownerEmail === undefined || p.owner.email.toLowerCase() === ownerEmail)
    // Collections are known only by name in sharing; the double treats collectionId as that name.
    .filter((p) => collectionId === undefined || (p.sharing?.collections ?? []).some((c) => c.collection.name === collectionId))
    .sort((a, b) => (direction === 'ASC' ? 1 : -1) * compareKeys(keyOf(a), keyOf(b)));
  const page = keysetPage(matching, keyOf, direction, limit, query);
  return { status: 200, body: { values: page.values.map((p) => present(p, includeSharing)), pagination: page.pagination } };
}

function listCells(projects: HexProject[], cells: Record<string, HexCell[]>, token: HexTokenInfo, query: URLSearchParams): Reply {
  if (token.cellsScope === false) return errorReply('newer', 403, 'FORBIDDEN', 'This token does not have the required scope to read cells');
  const projectId = single(query, 'projectId');
  if (!projectId) throw new BadRequest('projectId is required');
  const limit = parseLimit(query);
  const project = projects.find((p) => p.id === projectId);
  if (!project || !visibleTo(token, project)) return errorReply('newer', 404, 'NOT_FOUND', 'Not found');
  const projectCells = cells[projectId] ?? [];
  const position = new Map(projectCells.map((cell, index) => [cell, index]));
  // Cells keep their notebook order; the key pads the position so string comparison follows it.
  const keyOf = (cell: HexCell): Key => [String(position.get(cell)).padStart(8, '0'), cell.id];
  return { status: 200, body: keysetPage(projectCells, keyOf, 'ASC', limit, query) };
}

function listDataConnections(connections: HexDataConnection[], query: URLSearchParams): Reply {
  const limit = parseLimit(query);
  const sortBy = single(query, 'sortBy') ?? 'NAME';
  if (sortBy !== 'NAME' && sortBy !== 'CREATED_AT') throw new BadRequest('sortBy must be one of NAME, CREATED_AT');
  const direction = single(query, 'sortDirection') ?? 'ASC';
  if (direction !== 'ASC' && direction !== 'DESC') throw new BadRequest('sortDirection must be ASC or DESC');
  const keyOf = (c: HexDataConnection): Key => [c.name, c.id];
  const sorted = [...connections].sort((a, b) => (direction === 'ASC' ? 1 : -1) * compareKeys(keyOf(a), keyOf(b)));
  const page = keysetPage(sorted, keyOf, direction, limit, query);
  const values = page.values.map((c) => ({
    connectViaSsh: false, includeMagic: true, allowWritebackCells: false, schemaRefreshAccess: 'ADMINS', description: null, ...c,
  }));
  return { status: 200, body: { values, pagination: page.pagination } };
}

function me(token: HexTokenInfo, orgId: string): Reply {
  const tokenInfo = { exp: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString() };
  if (token.kind === 'workspace') return { status: 200, body: { org: { id: orgId }, token: tokenInfo } };
  const email = token.email ?? 'unknown@acme.example';
  const id = `00000000-0000-4000-8000-${Buffer.from(email).toString('hex').padEnd(12, '0').slice(0, 12)}`;
  return {
    status: 200,
    body: { id, name: email.split('@')[0], email, role: 'EDITOR', lastLoginDate: '2025-02-10T08:00:00.000Z', org: { id: orgId }, token: tokenInfo },
  };
}

export async function startHexServer(options: HexServerOptions): Promise<HexServer> {
  let projects = [...options.projects];
  const cells = options.cells ?? {};
  const orgId = options.orgId ?? randomUUID();
  const acceptedAt = new Map<string, number[]>();

  function rateLimited(token: string): boolean {
    if (!options.rateLimitPerMinute) return false;
    const now = Date.now();
    const recent = (acceptedAt.get(token) ?? []).filter((t) => now - t < 60_000);
    const limited = recent.length >= options.rateLimitPerMinute;
    if (!limited) recent.push(now);
    acceptedAt.set(token, recent);
    return limited;
  }

  function handle(call: IncomingCall): Reply {
    const path = call.path.replace(/\/+$/, '');
    const family: Family = path === '/api/v1/projects' ? 'older' : 'newer';
    const header = call.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const tokenInfo = match ? options.tokens[match[1]] : undefined;
    if (!match || !tokenInfo) {
      const why = match ? 'The provided token is invalid or expired' : 'Authorization not provided';
      return errorReply(family, 401, 'UNAUTHORIZED', 'Authorization not provided', why);
    }
    if (rateLimited(match[1])) {
      const reply = errorReply(family, 429, 'TOO_MANY_REQUESTS', 'Too many requests');
      if (options.retryAfterSeconds !== undefined) reply.headers = { ...reply.headers, 'Retry-After': String(options.retryAfterSeconds) };
      return reply;
    }
    if (call.method !== 'GET') return errorReply('newer', 404, 'NOT_FOUND', 'Not found');
    const query = call.url.searchParams;
    try {
      if (path === '/api/v1/projects') return listProjects(projects, tokenInfo, query);
      if (path === '/api/v1/cells') return listCells(projects, cells, tokenInfo, query);
      if (path === '/api/v1/users/me') return me(tokenInfo, orgId);
      if (path === '/api/v1/data-connections') return listDataConnections(options.dataConnections ?? [], query);
      const projectMatch = /^\/api\/v1\/projects\/([^/]+)$/.exec(path);
      if (projectMatch) {
        const project = projects.find((p) => p.id === decodeURIComponent(projectMatch[1]));
        if (!project || !visibleTo(tokenInfo, project)) return errorReply('newer', 404, 'NOT_FOUND', 'Not found');
        return { status: 200, body: present(project, parseBool(query, 'includeSharing')) };
      }
      return errorReply('newer', 404, 'NOT_FOUND', 'Not found');
    } catch (error) {
      if (error instanceof BadRequest) return errorReply(family, 400, 'BAD_REQUEST', 'Invalid input data', error.message);
      throw error;
    }
  }

  const server = await startJsonServer(handle, { latencyMs: options.latencyMs });
  return {
    url: server.url,
    requests: server.requests,
    injectFault: (fault) => server.faults.add(fault),
    setProjects: (next) => {
      projects = [...next];
    },
    close: server.close,
  };
}
