// Local double of the OpenMetadata REST API for a dashboard connector: entities, search, lineage, auth.
// It is one file because the store, its merge rules and the routes share the same private state.
import { randomUUID } from 'node:crypto';
import { startJsonServer, type Fault, type IncomingCall, type RecordedRequest, type Reply } from './http';
import { openMetadataSpec, validationMessage, type OpenMetadataSpec } from './openMetadataSpec';

export type { RecordedRequest } from './http';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
export type Dashboard = Json;

export interface OpenMetadataServerOptions {
  /** The only accepted bot token. */
  jwt: string;
  users?: { name: string; email: string; displayName?: string }[];
  teams?: { name: string; email: string; displayName?: string }[];
  version?: string;
  latencyMs?: number;
  specDir?: string;
}
export interface LineageEdgeView {
  fromId: string;
  fromType: string;
  toId: string;
  toType: string;
  lineageDetails?: unknown;
}
export interface OpenMetadataServer {
  /** hostPort including /api. */
  url: string;
  requests: RecordedRequest[];
  injectFault(fault: Fault): void;
  addDatabaseService(name: string, serviceType: string, connectionConfig?: Record<string, unknown>): void;
  addTable(fqn: string, opts?: { columns?: string[] }): { id: string };
  dashboards(): Dashboard[];
  dashboardService(name: string): unknown | undefined;
  classifications(): unknown[];
  tags(): unknown[];
  lineageEdges(): LineageEdgeView[];
  /** Successful PUT/PATCH/DELETE/POST requests. */
  writeCount(): number;
  close(): Promise<void>;
}

// ---------- Fully qualified names ----------

/** Quotes one FQN part: names with a dot are wrapped in double quotes, needless quotes are dropped. */
export function quoteName(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    const inner = name.slice(1, -1);
    return inner.includes('.') ? name : inner;
  }
  if (name.includes('"')) return name.replace(/"/g, '\\"');
  return name.includes('.') ? `"${name}"` : name;
}

/** Splits on dots outside double quotes; parts keep their quotes. */
export function splitFqn(fqn: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of fqn) {
    if (char === '"') quoted = !quoted;
    if (char === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

export function buildFqn(...parts: string[]): string {
  return parts.map(quoteName).join('.');
}

// ---------- JSON Patch (RFC 6902) ----------

class PatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${path}`);
  return path.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[]): { parent: Json; key: string } {
  let node: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !(token in node)) throw new PatchError(`path not found: /${tokens.join('/')}`);
    node = node[token];
  }
  return { parent: node, key: tokens[tokens.length - 1] };
}

function getAt(doc: Json, path: string): unknown {
  let node: unknown = doc;
  for (const token of pointer(path)) {
    if (node === null || typeof node !== 'object' || !(token in (node as Json))) throw new PatchError(`path not found: ${path}`);
    node = (node as Json)[token];
  }
  return node;
}

function removeAt(doc: Json, path: string): unknown {
  const { parent, key } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!(index >= 0 && index < parent.length)) throw new PatchError(`path not found: ${path}`);
    return parent.splice(index, 1)[0];
  }
  if (!(key in parent)) throw new PatchError(`path not found: ${path}`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(doc: Json, path: string, value: unknown, replace: boolean): void {
  const { parent, key } = parentOf(doc, pointer(path));
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!(index >= 0 && index <= parent.length)) throw new PatchError(`index out of range: ${path}`);
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else if (parent !== null && typeof parent === 'object') {
    if (replace && !(key in parent)) throw new PatchError(`path not found: ${path}`);
    parent[key] = value;
  } else throw new PatchError(`path not found: ${path}`);
}

export function applyJsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw new PatchError('a JSON Patch body must be an array');
  const doc = structuredClone(document);
  for (const op of operations as Json[]) {
    const clone = (v: unknown) => structuredClone(v);
    switch (op.op) {
      case 'add': addAt(doc, op.path, clone(op.value), false); break;
      case 'replace': addAt(doc, op.path, clone(op.value), true); break;
      case 'remove': removeAt(doc, op.path); break;
      case 'move': addAt(doc, op.path, removeAt(doc, op.from), false); break;
      case 'copy': addAt(doc, op.path, clone(getAt(doc, op.from)), false); break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) throw new PatchError(`test failed at ${op.path}`);
        break;
      default: throw new PatchError(`unknown patch operation ${String(op.op)}`);
    }
  }
  return doc;
}

// ---------- Collections ----------

interface Collection {
  type: string;
  path: string;
  createSchema?: string;
  entitySchema: string;
  /** Relationship-backed fields, returned only when asked for with `fields`. */
  fields: string[];
}
const COLLECTIONS: Collection[] = [
  { type: 'dashboardService', path: 'services/dashboardServices', createSchema: 'api/services/createDashboardService.json', entitySchema: 'entity/services/dashboardService.json', fields: ['pipelines', 'owners', 'tags', 'domains', 'followers', 'dataProducts'] },
  { type: 'databaseService', path: 'services/databaseServices', createSchema: 'api/services/createDatabaseService.json', entitySchema: 'entity/services/databaseService.json', fields: ['pipelines', 'owners', 'tags', 'domains', 'followers'] },
  { type: 'dashboard', path: 'dashboards', createSchema: 'api/data/createDashboard.json', entitySchema: 'entity/data/dashboard.json', fields: ['owners', 'charts', 'followers', 'tags', 'usageSummary', 'extension', 'dataModels', 'domains', 'dataProducts', 'sourceHash'] },
  { type: 'chart', path: 'charts', createSchema: 'api/data/createChart.json', entitySchema: 'entity/data/chart.json', fields: ['owners', 'followers', 'tags', 'domains', 'dataProducts', 'sourceHash', 'dashboards', 'extension'] },
  { type: 'table', path: 'tables', createSchema: 'api/data/createTable.json', entitySchema: 'entity/data/table.json', fields: ['tableConstraints', 'tablePartition', 'usageSummary', 'owners', 'customMetrics', 'columns', 'sampleData', 'tags', 'followers', 'joins', 'schemaDefinition', 'dataModel', 'extension', 'testSuite', 'domains', 'dataProducts', 'lifeCycle', 'sourceHash'] },
  { type: 'classification', path: 'classifications', createSchema: 'api/classification/createClassification.json', entitySchema: 'entity/classification/classification.json', fields: ['owners', 'reviewers', 'usageCount', 'termCount', 'autoClassificationConfig'] },
  { type: 'tag', path: 'tags', createSchema: 'api/classification/createTag.json', entitySchema: 'entity/classification/tag.json', fields: ['owners', 'reviewers', 'domains', 'children', 'usageCount', 'recognizers', 'autoClassificationEnabled', 'autoClassificationPriority'] },
  { type: 'user', path: 'users', entitySchema: 'entity/teams/user.json', fields: ['profile', 'roles', 'teams', 'follows', 'owns', 'domains', 'personas', 'defaultPersona'] },
  { type: 'team', path: 'teams', entitySchema: 'entity/teams/team.json', fields: ['owners', 'profile', 'users', 'owns', 'defaultRoles', 'parents', 'children', 'policies', 'userCount', 'childrenCount', 'domains'] },
];
const SEARCH_INDEXES: Record<string, string> = {
  user_search_index: 'user', team_search_index: 'team', table_search_index: 'table',
  dashboard_search_index: 'dashboard', chart_search_index: 'chart', tag_search_index: 'tag',
  classification_search_index: 'classification',
};
const LIST_FIELDS = new Set(['owners', 'followers', 'tags', 'charts', 'dataModels', 'domains', 'dataProducts', 'dashboards', 'columns', 'pipelines', 'reviewers', 'children']);
const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);
const BOT = 'ingestion-bot';
const MASKED_SECRET = '*********';

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
const notFound = (type: string, key: string) => new ApiError(404, `${type} instance for ${key} not found`);

function reply(status: number, body?: unknown, change?: string): Reply {
  return { status, body, headers: change ? { 'X-OpenMetadata-Change': change } : undefined };
}

/** Key-order independent JSON, so a rebuilt entity compares equal to the stored one. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function comparable(entity: Json): string {
  const { version: _v, updatedAt: _u, updatedBy: _b, changeDescription: _c, ...rest } = entity;
  return canonical(rest);
}

/** Keeps stored secrets where a client sends back the masked placeholder. */
function keepMaskedSecrets(next: unknown, stored: unknown): unknown {
  if (next === MASKED_SECRET && typeof stored === 'string') return stored;
  if (next && typeof next === 'object' && !Array.isArray(next) && stored && typeof stored === 'object') {
    return Object.fromEntries(Object.entries(next as Json).map(([k, v]) => [k, keepMaskedSecrets(v, (stored as Json)[k])]));
  }
  return next;
}

function wildcardRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) source += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

export async function startOpenMetadataServer(options: OpenMetadataServerOptions): Promise<OpenMetadataServer> {
  const spec: OpenMetadataSpec = openMetadataSpec(options.specDir);
  const version = options.version ?? '1.12.6';
  const byId = new Map<string, Json>();
  const typeOf = new Map<string, string>();
  const fqnIndex = new Map<string, Map<string, string>>();
  const edges = new Map<string, LineageEdgeView>();
  const syntheticIds = new Map<string, string>();
  let writes = 0;
  let apiUrl = '';

  const collectionOf = (type: string) => COLLECTIONS.find((c) => c.type === type)!;
  /** Databases and schemas are not stored as entities; their references still need ids stable per FQN. */
  function stableId(key: string): string {
    if (!syntheticIds.has(key)) syntheticIds.set(key, randomUUID());
    return syntheticIds.get(key)!;
  }

  function store(type: string, entity: Json): void {
    byId.set(entity.id, entity);
    typeOf.set(entity.id, type);
    if (!fqnIndex.has(type)) fqnIndex.set(type, new Map());
    fqnIndex.get(type)!.set(entity.fullyQualifiedName, entity.id);
  }

  function forget(id: string): void {
    const entity = byId.get(id);
    if (!entity) return;
    fqnIndex.get(typeOf.get(id)!)?.delete(entity.fullyQualifiedName);
    byId.delete(id);
    typeOf.delete(id);
    for (const [key, edge] of edges) if (edge.fromId === id || edge.toId === id) edges.delete(key);
  }

  function byFqn(type: string, fqn: string, include = 'non-deleted'): Json | undefined {
    const id = fqnIndex.get(type)?.get(fqn);
    const entity = id ? byId.get(id) : undefined;
    return entity && included(entity, include) ? entity : undefined;
  }

  function included(entity: Json, include: string): boolean {
    return include === 'all' || (include === 'deleted' ? entity.deleted === true : entity.deleted !== true);
  }

  function ref(entity: Json): Json {
    const type = typeOf.get(entity.id)!;
    return {
      id: entity.id, type, name: entity.name, fullyQualifiedName: entity.fullyQualifiedName,
      ...(entity.displayName !== undefined ? { displayName: entity.displayName } : {}),
      deleted: entity.deleted === true, href: `${apiUrl}/v1/${collectionOf(type).path}/${entity.id}`,
    };
  }

  function requireByFqn(type: string, fqn: string): Json {
    const entity = byFqn(type, fqn);
    if (!entity) throw notFound(type, fqn);
    return entity;
  }

  function requireById(type: string, id: string, include = 'non-deleted'): Json {
    const entity = byId.get(id);
    if (!entity || typeOf.get(id) !== type || !included(entity, include)) throw notFound(type, id);
    return entity;
  }

  function resolveOwners(owners: Json[] | undefined): Json[] {
    return (owners ?? []).map((owner) => ref(requireById(owner.type, owner.id)));
  }

  function resolveTags(tags: Json[] | undefined): Json[] {
    return (tags ?? []).map((label) => {
      const type = label.source === 'Glossary' ? 'glossaryTerm' : 'tag';
      const tag = byFqn(type, label.tagFQN);
      if (!tag) throw notFound(type, label.tagFQN);
      return { ...label, name: label.name ?? tag.name };
    });
  }

  function rejectUnsupported(request: Json): void {
    for (const fqn of request.domains ?? []) throw notFound('domain', fqn);
    for (const fqn of request.dataProducts ?? []) throw notFound('dataProduct', fqn);
    for (const fqn of request.dataModels ?? []) throw notFound('dashboardDataModel', fqn);
  }

  /** Builds the entity a create request describes, without id, version or merge with a stored one. */
  function fromRequest(type: string, request: Json): Json {
    rejectUnsupported(request);
    const { owners, tags, service, charts, dashboards, classification, parent, databaseSchema, connection, ...scalars } = request;
    const common = { ...scalars, owners: resolveOwners(owners), tags: resolveTags(tags), followers: [], domains: [], dataProducts: [] };
    switch (type) {
      case 'dashboardService':
      case 'databaseService':
        return { ...common, fullyQualifiedName: quoteName(request.name), ...(connection ? { connection } : {}), pipelines: [] };
      case 'dashboard':
      case 'chart': {
        const svc = requireByFqn('dashboardService', service);
        const entity: Json = { ...common, fullyQualifiedName: `${svc.fullyQualifiedName}.${quoteName(request.name)}`, service: ref(svc), serviceType: svc.serviceType };
        if (type === 'dashboard') {
          entity.dashboardType = request.dashboardType ?? 'Dashboard';
          entity.charts = (charts ?? []).map((fqn: string) => ref(requireByFqn('chart', fqn)));
          entity.dataModels = [];
        } else entity.dashboards = (dashboards ?? []).map((fqn: string) => ref(requireByFqn('dashboard', fqn)));
        return entity;
      }
      case 'classification':
        return { ...common, fullyQualifiedName: quoteName(request.name), provider: request.provider ?? 'user', mutuallyExclusive: request.mutuallyExclusive ?? false };
      case 'tag': {
        const cls = requireByFqn('classification', classification ?? splitFqn(parent ?? '')[0]);
        const parentTag = parent ? requireByFqn('tag', parent) : undefined;
        const base = parentTag ?? cls;
        return {
          ...common, fullyQualifiedName: `${base.fullyQualifiedName}.${quoteName(request.name)}`, classification: ref(cls),
          ...(parentTag ? { parent: ref(parentTag) } : {}), provider: request.provider ?? 'user', mutuallyExclusive: request.mutuallyExclusive ?? false,
        };
      }
      case 'table':
        return { ...common, ...tableParts(databaseSchema, request.name, request.columns) };
      default:
        throw new ApiError(405, `HTTP 405 Method Not Allowed`);
    }
  }

  function tableParts(schemaFqn: string, name: string, columns: Json[]): Json {
    const [serviceName, database, schema] = splitFqn(schemaFqn);
    const svc = byFqn('databaseService', serviceName ?? '');
    if (!svc || database === undefined || schema === undefined) throw notFound('databaseSchema', schemaFqn);
    const fqn = `${schemaFqn}.${quoteName(name)}`;
    const dbFqn = `${serviceName}.${database}`;
    return {
      fullyQualifiedName: fqn, tableType: 'Regular', service: ref(svc), serviceType: svc.serviceType,
      database: { id: stableId(dbFqn), type: 'database', name: database.replace(/^"|"$/g, ''), fullyQualifiedName: dbFqn },
      databaseSchema: { id: stableId(schemaFqn), type: 'databaseSchema', name: schema.replace(/^"|"$/g, ''), fullyQualifiedName: schemaFqn },
      columns: columns.map((c, i) => ({ dataTypeDisplay: c.dataType?.toLowerCase(), ordinalPosition: i + 1, ...c, fullyQualifiedName: `${fqn}.${quoteName(c.name)}`, tags: c.tags ?? [] })),
    };
  }

  /** PUT semantics: create (201) or update (200) with OpenMetadata's merge rules; restores soft-deleted ones. */
  function createOrUpdate(collection: Collection, request: Json): { status: number; entity: Json; change: string } {
    const next = fromRequest(collection.type, request);
    const existingId = fqnIndex.get(collection.type)?.get(next.fullyQualifiedName);
    const existing = existingId ? byId.get(existingId) : undefined;
    const now = Date.now();
    if (!existing) {
      const entity = { id: randomUUID(), ...next, version: 0.1, updatedAt: now, updatedBy: BOT, href: '', deleted: false };
      entity.href = `${apiUrl}/v1/${collection.path}/${entity.id}`;
      store(collection.type, entity);
      return { status: 201, entity, change: 'entityCreated' };
    }
    const tags = [...existing.tags];
    for (const label of next.tags) if (!tags.some((t: Json) => t.tagFQN === label.tagFQN)) tags.push(label);
    const merged: Json = {
      ...next,
      id: existing.id, href: existing.href, followers: existing.followers ?? [],
      description: existing.description ? existing.description : next.description,
      owners: next.owners.length > 0 ? next.owners : existing.owners,
      tags,
      // A PUT without a connection (storeServiceConnection: false) leaves the stored one alone.
      ...(next.connection ? { connection: keepMaskedSecrets(next.connection, existing.connection) } : existing.connection ? { connection: existing.connection } : {}),
      version: existing.version, updatedAt: existing.updatedAt, updatedBy: existing.updatedBy, deleted: false,
    };
    if (merged.description === undefined) delete merged.description;
    return { status: 200, ...saveChange(collection.type, existing, merged, now) };
  }

  function saveChange(type: string, existing: Json, next: Json, now = Date.now()): { entity: Json; change: string } {
    if (comparable(next) === comparable(existing)) return { entity: existing, change: 'entityNoChange' };
    const entity = { ...next, version: Math.round((existing.version + 0.1) * 10) / 10, updatedAt: now, updatedBy: BOT };
    store(type, entity);
    return { entity, change: 'entityUpdated' };
  }

  function validate(schema: string, body: unknown): void {
    const message = validationMessage(spec, schema, body);
    if (message) throw new ApiError(400, message);
  }

  function selectFields(collection: Collection, entity: Json, fieldsParam: string | null): Json {
    const requested = fieldsParam ? fieldsParam.split(',').map((f) => f.trim()).filter(Boolean) : [];
    const allowed = new Set(spec.propertyNames(collection.entitySchema));
    for (const field of requested) if (field !== '*' && !allowed.has(field)) throw new ApiError(400, `Invalid field name ${field}`);
    const wanted = requested.includes('*') ? new Set(collection.fields) : new Set(requested);
    const out: Json = {};
    for (const [key, value] of Object.entries(entity)) if (!collection.fields.includes(key) || wanted.has(key)) out[key] = value;
    for (const field of wanted) if (LIST_FIELDS.has(field) && collection.fields.includes(field) && !(field in out)) out[field] = [];
    return out;
  }

  function includeParam(query: URLSearchParams): string {
    const include = query.get('include') ?? 'non-deleted';
    if (!['non-deleted', 'deleted', 'all'].includes(include)) throw new ApiError(400, `[query param include must be one of [non-deleted, deleted, all]]`);
    return include;
  }

  function listEntities(collection: Collection, query: URLSearchParams): Reply {
    const include = includeParam(query);
    const limit = Number(query.get('limit') ?? 10);
    if (!Number.isInteger(limit) || limit < 0 || limit > 1_000_000) throw new ApiError(400, '[query param limit must be less than or equal to 1000000]');
    const service = query.get('service');
    const all = [...byId.values()]
      .filter((e) => typeOf.get(e.id) === collection.type && included(e, include))
      .filter((e) => !service || e.service?.name === service || e.service?.fullyQualifiedName === service)
      .sort((a, b) => (a.fullyQualifiedName < b.fullyQualifiedName ? -1 : a.fullyQualifiedName > b.fullyQualifiedName ? 1 : 0));
    const decode = (c: string) => Buffer.from(c, 'base64').toString('utf8');
    const after = query.get('after');
    const before = query.get('before');
    let start = 0;
    if (after) start = all.findIndex((e) => e.fullyQualifiedName > decode(after));
    else if (before) start = Math.max(0, all.filter((e) => e.fullyQualifiedName < decode(before)).length - limit);
    if (start < 0) start = all.length;
    const page = all.slice(start, start + limit);
    const paging: Json = { total: all.length };
    if (start > 0 && page.length > 0) paging.before = Buffer.from(page[0].fullyQualifiedName).toString('base64');
    if (start + limit < all.length && page.length > 0) paging.after = Buffer.from(page[page.length - 1].fullyQualifiedName).toString('base64');
    return reply(200, { data: page.map((e) => selectFields(collection, e, query.get('fields'))), paging });
  }

  function deleteEntity(collection: Collection, entity: Json, query: URLSearchParams): Reply {
    const hard = query.get('hardDelete') === 'true';
    const recursive = query.get('recursive') === 'true';
    const children = collection.type.endsWith('Service') ? [...byId.values()].filter((e) => e.service?.id === entity.id) : [];
    if (children.some((c) => !c.deleted || hard) && !recursive) throw new ApiError(400, `${collection.type} is not empty`);
    if (!hard && entity.deleted) throw notFound(collection.type, entity.id);
    for (const target of [...children, entity]) {
      if (hard) forget(target.id);
      else store(typeOf.get(target.id)!, { ...target, deleted: true, version: Math.round((target.version + 0.1) * 10) / 10, updatedAt: Date.now() });
    }
    return reply(200, hard ? entity : byId.get(entity.id), hard ? 'entityDeleted' : 'entitySoftDeleted');
  }

  function patchEntity(collection: Collection, entity: Json, call: IncomingCall): Reply {
    if (!(call.headers['content-type'] ?? '').includes('application/json-patch+json')) throw new ApiError(415, 'HTTP 415 Unsupported Media Type');
    let patched: Json;
    try {
      patched = applyJsonPatch(entity, call.body);
    } catch (error) {
      if (error instanceof PatchError) throw new ApiError(400, error.message);
      throw error;
    }
    for (const key of ['id', 'fullyQualifiedName', 'service']) {
      if (JSON.stringify(patched[key]) !== JSON.stringify(entity[key])) throw new ApiError(400, `Field ${key} can not be changed`);
    }
    // References arrive as {id, type}; store them as full references like a PUT would.
    for (const key of ['charts', 'owners', 'dashboards']) if (Array.isArray(patched[key])) patched[key] = patched[key].map((r: Json) => ref(requireById(r.type, r.id)));
    if (Array.isArray(patched.tags)) patched.tags = resolveTags(patched.tags);
    const { entity: saved, change } = saveChange(collection.type, entity, patched);
    return { ...reply(200, saved, change), headers: { 'X-OpenMetadata-Change': change, ETag: `"${saved.version}"` } };
  }

  function handleCollection(collection: Collection, rest: string, call: IncomingCall): Reply {
    const query = call.url.searchParams;
    const method = call.method;
    if (rest === '' && method === 'GET') return listEntities(collection, query);
    if (rest === '' && method === 'PUT' && collection.createSchema) {
      validate(collection.createSchema, call.body);
      const result = createOrUpdate(collection, call.body as Json);
      return reply(result.status, result.entity, result.change);
    }
    if (rest === '' && method === 'POST' && collection.createSchema) {
      validate(collection.createSchema, call.body);
      const fqn = fromRequest(collection.type, call.body as Json).fullyQualifiedName;
      if (fqnIndex.get(collection.type)?.has(fqn)) throw new ApiError(409, 'Entity already exists');
      const result = createOrUpdate(collection, call.body as Json);
      return reply(result.status, result.entity, result.change);
    }
    if (rest === '/bulk' && method === 'PUT' && collection.createSchema) return bulk(collection, call.body);
    if (rest === '/restore' && method === 'PUT') {
      validate('api/data/restoreEntity.json', call.body);
      const entity = requireById(collection.type, (call.body as Json).id, 'all');
      if (!entity.deleted) return reply(200, entity, 'entityNoChange');
      const restored = { ...entity, deleted: false, version: Math.round((entity.version + 0.1) * 10) / 10, updatedAt: Date.now() };
      store(collection.type, restored);
      return reply(200, restored, 'entityRestored');
    }
    const byName = /^\/name\/(.+)$/.exec(rest);
    const byIdMatch = /^\/([0-9a-fA-F-]{36})$/.exec(rest);
    if (!byName && !byIdMatch) throw new ApiError(404, 'HTTP 404 Not Found');
    const include = method === 'GET' ? includeParam(query) : method === 'DELETE' ? 'all' : 'non-deleted';
    const entity = byName ? byFqn(collection.type, decodeURIComponent(byName[1]), include) : byId.get(byIdMatch![1]);
    const key = byName ? decodeURIComponent(byName[1]) : byIdMatch![1];
    if (!entity || typeOf.get(entity.id) !== collection.type || !included(entity, include)) throw notFound(collection.type, key);
    if (method === 'GET') return reply(200, selectFields(collection, entity, query.get('fields')));
    if (method === 'DELETE') return deleteEntity(collection, entity, query);
    if (method === 'PATCH') return patchEntity(collection, entity, call);
    throw new ApiError(405, 'HTTP 405 Method Not Allowed');
  }

  function bulk(collection: Collection, body: unknown): Reply {
    if (!Array.isArray(body)) throw new ApiError(400, '[request body must be an array]');
    const successRequest: Json[] = [];
    const failedRequest: Json[] = [];
    for (const request of body) {
      try {
        validate(collection.createSchema!, request);
        const result = createOrUpdate(collection, request);
        successRequest.push({ request: result.entity.fullyQualifiedName, status: result.status });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failedRequest.push({ request, message: error.message, status: 400 });
      }
    }
    const status = failedRequest.length === 0 ? 'success' : successRequest.length === 0 ? 'failure' : 'partialSuccess';
    return reply(200, { status, numberOfRowsProcessed: body.length, numberOfRowsPassed: successRequest.length, numberOfRowsFailed: failedRequest.length, successRequest, failedRequest });
  }

  function searchHits(index: string, docs: Json[], size: number): Reply {
    const hits = docs.slice(0, size).map((doc) => ({ _index: index, _type: '_doc', _id: doc.id, _score: 1, _source: { ...doc, entityType: typeOf.get(doc.id) } }));
    return reply(200, { took: 1, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 }, hits: { total: { value: docs.length, relation: 'eq' }, max_score: hits.length ? 1 : null, hits } });
  }

  function indexed(query: URLSearchParams): { index: string; docs: Json[] } {
    const index = query.get('index') ?? 'table_search_index';
    const type = SEARCH_INDEXES[index];
    if (!type) throw new ApiError(400, `Failed to find index ${index}`);
    const deleted = query.get('deleted') === 'true';
    return { index, docs: [...byId.values()].filter((e) => typeOf.get(e.id) === type && (e.deleted === true) === deleted) };
  }

  function search(kind: string, query: URLSearchParams): Reply {
    const { index, docs } = indexed(query);
    if (kind === 'fieldQuery') {
      const field = query.get('fieldName') ?? '';
      // The FQN keyword field is lower-case normalised, so wildcard matching ignores case.
      const pattern = wildcardRegExp(query.get('fieldValue') ?? '*');
      return searchHits(index, docs.filter((d) => typeof d[field] === 'string' && pattern.test(d[field])), 10);
    }
    const q = query.get('q') ?? '*';
    const from = Number(query.get('from') ?? 0);
    const size = Number(query.get('size') ?? 10);
    const keyword = /^([\w.]+)\.keyword:(.*)$/s.exec(q);
    const matches = keyword
      ? docs.filter((d) => d[keyword[1]] === keyword[2])
      : q === '*' ? docs : docs.filter((d) => [d.name, d.displayName, d.fullyQualifiedName].some((v) => typeof v === 'string' && v.toLowerCase().includes(q.toLowerCase())));
    return searchHits(index, matches.slice(from), size);
  }

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

  function addLineage(body: unknown): Reply {
    validate('api/lineage/addLineage.json', body);
    const edge = (body as Json).edge;
    const from = requireById(edge.fromEntity.type, edge.fromEntity.id);
    const to = requireById(edge.toEntity.type, edge.toEntity.id);
    const given: Json | undefined = edge.lineageDetails && keepKnownColumns(edge.lineageDetails, from, to);
    if (given?.pipeline) requireById(given.pipeline.type, given.pipeline.id);
    const key = `${from.id}|${to.id}`;
    const previous = edges.get(key)?.lineageDetails as Json | undefined;
    const now = Date.now();
    const lineageDetails = {
      ...(given ?? {}), ...(edge.description ? { description: edge.description } : {}), source: given?.source ?? 'Manual',
      createdAt: previous?.createdAt ?? now, createdBy: previous?.createdBy ?? BOT, updatedAt: now, updatedBy: BOT,
    };
    edges.set(key, { fromId: from.id, fromType: edge.fromEntity.type, toId: to.id, toType: edge.toEntity.type, lineageDetails });
    return reply(200);
  }

  function lineageGraph(root: Json, query: URLSearchParams): Reply {
    const depth = (name: string) => {
      const value = Number(query.get(name) ?? 1);
      if (!Number.isInteger(value) || value < 0 || value > 3) throw new ApiError(400, `[query param ${name} must be between 0 and 3]`);
      return value;
    };
    const nodes = new Map<string, Json>();
    const walk = (direction: 'up' | 'down', maxDepth: number) => {
      const collected: Json[] = [];
      let frontier = [root.id];
      for (let level = 0; level < maxDepth && frontier.length > 0; level++) {
        const next: string[] = [];
        for (const edge of edges.values()) {
          const [near, far] = direction === 'up' ? [edge.toId, edge.fromId] : [edge.fromId, edge.toId];
          if (!frontier.includes(near) || !byId.has(far) || byId.get(far)!.deleted) continue;
          collected.push({ fromEntity: edge.fromId, toEntity: edge.toId, ...(edge.lineageDetails ? { lineageDetails: edge.lineageDetails } : {}) });
          if (far !== root.id && !nodes.has(far)) nodes.set(far, ref(byId.get(far)!));
          next.push(far);
        }
        frontier = next;
      }
      return collected;
    };
    const upstreamEdges = walk('up', depth('upstreamDepth'));
    const downstreamEdges = walk('down', depth('downstreamDepth'));
    return reply(200, { entity: ref(root), nodes: [...nodes.values()], upstreamEdges, downstreamEdges });
  }

  function handleLineage(rest: string, call: IncomingCall): Reply {
    const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const method = call.method;
    if (rest === '' && method === 'PUT') return addLineage(call.body);
    if (method === 'GET' && segments[0] === 'getLineageEdge' && segments.length === 3) {
      const edge = edges.get(`${segments[1]}|${segments[2]}`);
      if (!edge) throw new ApiError(404, 'Lineage edge not found');
      return reply(200, { edge: edge.lineageDetails });
    }
    if (method === 'GET' && segments[1] === 'name' && segments.length >= 3) {
      const fqn = decodeURIComponent(rest.split('/name/')[1]);
      const root = byFqn(segments[0], fqn);
      if (!root) throw notFound(segments[0], fqn);
      return lineageGraph(root, call.url.searchParams);
    }
    if (method === 'GET' && segments.length === 2) return lineageGraph(requireById(segments[0], segments[1]), call.url.searchParams);
    if (method === 'DELETE' && segments.length === 4 && segments[2] === 'type') {
      for (const [key, edge] of edges) if (edge.toId === segments[1] && (edge.lineageDetails as Json)?.source === segments[3]) edges.delete(key);
      return reply(200);
    }
    let endpoints: [string, string] | undefined;
    if (segments.length === 4) endpoints = [segments[1], segments[3]];
    const named = /^\/([^/]+)\/name\/(.+)\/([^/]+)\/name\/(.+)$/.exec(rest);
    if (named) {
      const from = byFqn(named[1], decodeURIComponent(named[2]));
      const to = byFqn(named[3], decodeURIComponent(named[4]));
      endpoints = [from?.id ?? '', to?.id ?? ''];
    }
    if (!endpoints) throw new ApiError(404, 'HTTP 404 Not Found');
    const key = `${endpoints[0]}|${endpoints[1]}`;
    const edge = edges.get(key);
    if (!edge) throw new ApiError(404, 'Lineage edge not found');
    if (method === 'DELETE') {
      edges.delete(key);
      return reply(200);
    }
    if (method === 'PATCH') {
      try {
        edge.lineageDetails = applyJsonPatch((edge.lineageDetails ?? {}) as Json, call.body);
      } catch (error) {
        if (error instanceof PatchError) throw new ApiError(400, error.message);
        throw error;
      }
      return reply(200);
    }
    throw new ApiError(405, 'HTTP 405 Method Not Allowed');
  }

  function route(call: IncomingCall): Reply {
    const match = /^\/api\/v1\/(.*?)\/?$/.exec(call.path);
    if (!match) throw new ApiError(404, 'HTTP 404 Not Found');
    const resource = match[1];
    if (call.method === 'GET' && resource === 'system/version') return reply(200, { version, revision: 'local-test-double', timestamp: Date.now() });
    if (call.method === 'GET' && resource === 'system/health') return { status: 200, body: 'OK', headers: { 'Content-Type': 'text/plain' } };
    const authorization = call.headers.authorization;
    if (!authorization || !authorization.startsWith('Bearer ')) {
      return { status: 401, body: { code: 401, message: 'Not Authorized! Token not present' }, headers: { 'WWW-Authenticate': 'om-auth' } };
    }
    if (authorization.slice('Bearer '.length) !== options.jwt) {
      return { status: 401, body: { code: 401, message: 'Not Authorized! Invalid token.' }, headers: { 'WWW-Authenticate': 'om-auth' } };
    }
    if (call.bodyIsInvalidJson) throw new ApiError(400, 'Unable to process JSON');
    if (call.method === 'GET' && (resource === 'search/query' || resource === 'search/fieldQuery')) return search(resource.split('/')[1], call.url.searchParams);
    if (resource === 'lineage' || resource.startsWith('lineage/')) return handleLineage(resource.slice('lineage'.length), call);
    const collection = COLLECTIONS.find((c) => resource === c.path || resource.startsWith(`${c.path}/`));
    if (!collection) throw new ApiError(404, 'HTTP 404 Not Found');
    return handleCollection(collection, resource.slice(collection.path.length).replace(/\/$/, ''), call);
  }

  function handle(call: IncomingCall): Reply {
    let answer: Reply;
    try {
      answer = route(call);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: { code: error.status, message: error.message } };
    }
    if (WRITE_METHODS.has(call.method) && answer.status >= 200 && answer.status < 300) writes += 1;
    return answer;
  }

  const seedPeople = (type: 'user' | 'team', people: OpenMetadataServerOptions['users']) => {
    for (const person of people ?? []) {
      const id = randomUUID();
      store(type, {
        id, name: person.name, fullyQualifiedName: quoteName(person.name), email: person.email, displayName: person.displayName ?? person.name,
        ...(type === 'user' ? { isBot: false, isAdmin: false } : { teamType: 'Group' }),
        version: 0.1, updatedAt: Date.now(), updatedBy: 'admin', href: `${apiUrl}/v1/${type}s/${id}`, deleted: false,
      });
    }
  };

  const server = await startJsonServer(handle, { latencyMs: options.latencyMs });
  apiUrl = `${server.url}/api`;
  seedPeople('user', options.users);
  seedPeople('team', options.teams);

  const ofType = (type: string) => [...byId.values()].filter((e) => typeOf.get(e.id) === type).map((e) => structuredClone(e));
  return {
    url: apiUrl,
    requests: server.requests,
    injectFault: (fault) => server.faults.add(fault),
    addDatabaseService(name, serviceType, connectionConfig) {
      const entity = fromRequest('databaseService', { name, serviceType, ...(connectionConfig ? { connection: { config: connectionConfig } } : {}) });
      const id = randomUUID();
      store('databaseService', { id, ...entity, version: 0.1, updatedAt: Date.now(), updatedBy: 'admin', href: `${apiUrl}/v1/services/databaseServices/${id}`, deleted: false });
    },
    addTable(fqn, opts = {}) {
      const parts = splitFqn(fqn);
      if (parts.length !== 4) throw new Error(`table FQN must be service.database.schema.table: ${fqn}`);
      const columns = (opts.columns ?? ['id']).map((name) => ({ name, dataType: 'VARCHAR', dataLength: 256 }));
      const name = parts[3].replace(/^"(.*)"$/, '$1');
      const entity = { name, ...tableParts(parts.slice(0, 3).join('.'), name, columns), owners: [], tags: [], followers: [] };
      const id = randomUUID();
      store('table', { id, ...entity, version: 0.1, updatedAt: Date.now(), updatedBy: 'admin', href: `${apiUrl}/v1/tables/${id}`, deleted: false });
      return { id };
    },
    dashboards: () => ofType('dashboard'),
    dashboardService: (name) => {
      const entity = byFqn('dashboardService', quoteName(name), 'all');
      return entity ? structuredClone(entity) : undefined;
    },
    classifications: () => ofType('classification'),
    tags: () => ofType('tag'),
    lineageEdges: () => [...edges.values()].map((e) => structuredClone(e)),
    writeCount: () => writes,
    close: server.close,
  };
}
