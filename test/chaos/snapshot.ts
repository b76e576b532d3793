// What an OpenMetadata double holds after a run, in a form two doubles can be compared by (names, not ids).
import type { OpenMetadataServer, RecordedRequest } from '../../servers/openMetadataServer';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const WHOLE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE', 'POST']);

export interface Snapshot {
  dashboards: string[];
  tags: string[];
  classifications: string[];
  edges: string[];
  /** Entity ids of this double mapped to names, for reading its requests. */
  namesById: Map<string, string>;
}

const sorted = (items: string[]) => [...items].sort();

/** One line per dashboard with every field a run decides; the service is the same in both doubles. */
function dashboardLine(d: any): string {
  return JSON.stringify({
    name: d.name, displayName: d.displayName ?? null, description: d.description ?? null, sourceUrl: d.sourceUrl ?? null,
    service: d.service?.name ?? null, deleted: d.deleted === true, version: d.version,
    owners: sorted((d.owners ?? []).map((o: any) => `${o.type}:${o.name}`)),
    tags: sorted((d.tags ?? []).map((t: any) => `${t.tagFQN}|${t.source}|${t.labelType}`)),
  });
}

/** What a run writes into an edge; the server stamps the rest (createdAt, updatedBy, ...). */
function lineageDetailsOf(details: any): unknown {
  if (!details) return null;
  return { sqlQuery: details.sqlQuery ?? null, source: details.source ?? null, description: details.description ?? null };
}

export function snapshotOf(om: OpenMetadataServer, tableFqnById: Map<string, string>): Snapshot {
  const dashboards = om.dashboards();
  const namesById = new Map<string, string>();
  for (const [id, fqn] of tableFqnById) namesById.set(id, `table:${fqn}`);
  for (const d of dashboards) {
    namesById.set(d.id, `dashboard:${d.name}`);
    for (const owner of d.owners ?? []) namesById.set(owner.id, `${owner.type}:${owner.name}`);
  }
  const tags = (om.tags() as any[]).map((t) => JSON.stringify({
    fqn: t.fullyQualifiedName, description: t.description ?? null, classification: t.classification?.name ?? null, deleted: t.deleted === true,
  }));
  const classifications = (om.classifications() as any[]).map((c) => JSON.stringify({
    name: c.name, description: c.description ?? null, deleted: c.deleted === true,
  }));
  const edges = om.lineageEdges().map((e) => JSON.stringify({
    from: namesById.get(e.fromId) ?? `${e.fromType}:?`, to: namesById.get(e.toId) ?? `${e.toType}:?`, details: lineageDetailsOf(e.lineageDetails),
  }));
  for (const t of om.tags() as any[]) namesById.set(t.id, `tag:${t.fullyQualifiedName}`);
  for (const c of om.classifications() as any[]) namesById.set(c.id, `classification:${c.name}`);
  return {
    dashboards: sorted(dashboards.map(dashboardLine)),
    tags: sorted(tags),
    classifications: sorted(classifications),
    edges: sorted(edges),
    namesById,
  };
}

/** Entries that appear more often than once: duplicates a comparison by set would hide. */
export function repeated(items: string[], keyOf: (item: string) => string): string[] {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(keyOf(item), (seen.get(keyOf(item)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

export interface WriteEntry {
  method: string;
  /** Collection written, e.g. dashboards, tags, lineage. */
  kind: string;
  count: number;
}

/** A dashboard's sourceHash digests its request, owner ids included, and those ids differ between doubles. */
function withoutSourceHash(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('sourceHash' in body)) return body ?? null;
  const { sourceHash: _digest, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** Successful writes after `since`, grouped by what they wrote: method, path and body with ids replaced by names. */
export function writeLedger(requests: RecordedRequest[], since: number, namesById: Map<string, string>): Map<string, WriteEntry> {
  const named = (text: string) => text.replace(UUID, (id) => namesById.get(id) ?? id);
  const ledger = new Map<string, WriteEntry>();
  for (const request of requests.slice(since)) {
    if (!WRITE_METHODS.has(request.method) || request.status < 200 || request.status >= 300) continue;
    // A bulk write is counted as the single PUTs it stands for: which dashboards share a batch depends on
    // what earlier attempts wrote already.
    const bulk = /\/bulk$/.test(request.path) && Array.isArray(request.body);
    const writes: [string, unknown][] = bulk
      ? (request.body as unknown[]).map((item) => [request.path.replace(/\/bulk$/, ''), item])
      : [[request.path, request.body]];
    for (const [rawPath, body] of writes) {
      const key = `${request.method} ${named(rawPath)} ${named(JSON.stringify(withoutSourceHash(body)))}`;
      // Entities addressed by name (usage/dashboard/name/<fqn>) count under their collection, as those by id do.
      const kind = rawPath.replace(/^\/api\/v1\//, '').replace(/\/name\/.*$/, '/name').split('/').filter((part) => !WHOLE_UUID.test(part)).join('/');
      const entry = ledger.get(key) ?? { method: request.method, kind, count: 0 };
      entry.count++;
      ledger.set(key, entry);
    }
  }
  return ledger;
}

export interface WriteComparison {
  cleanWrites: number;
  chaosWrites: number;
  /** Writes the clean run made that the chaos run never made. */
  lost: string[];
  /** Writes of the chaos run the clean run never made (a different body counts as different). */
  foreign: string[];
  /** Repeats beyond the clean run's count, by method and collection. */
  extraByKind: Record<string, number>;
  extra: number;
}

export function compareWrites(clean: Map<string, WriteEntry>, chaos: Map<string, WriteEntry>): WriteComparison {
  const total = (ledger: Map<string, WriteEntry>) => [...ledger.values()].reduce((sum, e) => sum + e.count, 0);
  const result: WriteComparison = { cleanWrites: total(clean), chaosWrites: total(chaos), lost: [], foreign: [], extraByKind: {}, extra: 0 };
  for (const [key, entry] of clean) {
    const got = chaos.get(key)?.count ?? 0;
    if (got < entry.count) result.lost.push(`${key} (${got} of ${entry.count})`);
  }
  for (const [key, entry] of chaos) {
    const want = clean.get(key)?.count ?? 0;
    if (want === 0) result.foreign.push(key);
    if (entry.count > want) {
      const label = `${entry.method} ${entry.kind}`;
      result.extraByKind[label] = (result.extraByKind[label] ?? 0) + entry.count - want;
      result.extra += entry.count - want;
    }
  }
  return result;
}
