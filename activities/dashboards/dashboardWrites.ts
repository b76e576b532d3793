import type { Connected, RunCache } from '../runtime/context';
import { dashboardIdOf } from '../openmetadata/entityIds';
import { ServiceError } from '../common/httpErrors';
import { isItemFailure } from '../failures';
import { buildFqn } from '../openmetadata/fqn';
import type { BulkResponse, CreateDashboard, WriteOutcome } from '../openmetadata/types';

// A page's dashboards go to OpenMetadata in one bulk request; what the bulk answer cannot settle goes one by one.

export interface DashboardWrite {
  request: CreateDashboard;
  /** The live dashboard's id when OpenMetadata has it already. */
  storedId: string | null;
  /** OpenMetadata has it soft-deleted: written alone, as the single PUT restores it. */
  restoring: boolean;
  /** This run created it already (the project was listed again on a later page): a write now updates it. */
  writtenByRun?: boolean;
}

export type WriteResult =
  | { ok: true; outcome: WriteOutcome; id: () => Promise<string | null>; /** When the answer named it. */ knownId: string | null }
  | { ok: false; error: ServiceError };

/** Writes this many dashboards or more in one bulk request. */
const BULK_FROM = 2;
/** Dashboards per bulk request (OpenMetadata's own sink sends 100). */
const BULK_SIZE = 100;

// The id getters below are made by these module-level functions on purpose: a closure made inside a function
// keeps that function's whole scope alive (the page's requests and answer), for as long as the run keeps the
// getter of a created dashboard.

function knownId(id: string): () => Promise<string | null> {
  return () => Promise.resolve(id);
}

/** Looks the id up on first call (batched with other look-ups), once. */
function idLookedUp(conn: Connected, cache: RunCache, fqn: string): () => Promise<string | null> {
  let value: Promise<string | null> | null = null;
  return () => (value ??= dashboardIdOf(conn, cache, fqn));
}

async function writeOne(conn: Connected, write: DashboardWrite): Promise<WriteResult> {
  try {
    const { entity, outcome } = await conn.openMetadata.putDashboard(write.request);
    return { ok: true, outcome, id: knownId(entity.id), knownId: entity.id };
  } catch (error) {
    if (!isItemFailure(error)) throw error;
    return { ok: false, error };
  }
}

/** What a bulk answer calls a request by: its FQN, an entity reference, or the request itself. */
function namesOf(response: BulkResponse): { fqn?: string; name?: string; id?: string } {
  const request = response.request;
  if (typeof request === 'string') return { fqn: request };
  if (request && typeof request === 'object') {
    const { fullyQualifiedName, name, id } = request as Record<string, unknown>;
    return {
      fqn: typeof fullyQualifiedName === 'string' ? fullyQualifiedName : undefined,
      name: typeof name === 'string' ? name : undefined,
      id: typeof id === 'string' ? id : undefined,
    };
  }
  return {};
}

/** How the page's writes go: `overrideMetadata` is sent with bulk writes when set (2.0 servers). */
export interface WriteOptions {
  overrideMetadata?: boolean;
}

async function writeBulk(conn: Connected, cache: RunCache, service: string, writes: DashboardWrite[], options: WriteOptions): Promise<WriteResult[]> {
  let answer;
  try {
    answer = await conn.openMetadata.putDashboardsBulk(writes.map((w) => w.request), options.overrideMetadata);
  } catch (error) {
    // A server without the bulk endpoint, or one refusing the batch as a whole: each request on its own.
    if (!isItemFailure(error)) throw error;
    return Promise.all(writes.map((write) => writeOne(conn, write)));
  }
  const index = new Map<string, number>();
  writes.forEach((write, i) => {
    index.set(buildFqn(service, write.request.name), i);
    index.set(write.request.name, i);
  });
  const find = (names: ReturnType<typeof namesOf>) => index.get(names.fqn ?? '') ?? index.get(names.name ?? '');
  const results: (WriteResult | undefined)[] = new Array(writes.length);
  for (const response of answer.failedRequest ?? []) {
    const i = find(namesOf(response));
    if (i === undefined) continue;
    const status = response.status ?? 400;
    const error = new ServiceError('OpenMetadata', status, `OpenMetadata refused dashboard ${writes[i].request.name} in a bulk write (${status})${response.message ? `: ${response.message}` : ''}`);
    results[i] = { ok: false, error };
  }
  for (const response of answer.successRequest ?? []) {
    const names = namesOf(response);
    const i = find(names);
    if (i === undefined || results[i]) continue;
    const write = writes[i];
    const created = response.status === 201 || (write.storedId === null && !write.writtenByRun);
    const id = names.id ?? write.storedId;
    results[i] = {
      ok: true, outcome: created ? 'created' : 'updated', knownId: id ?? null,
      id: id ? knownId(id) : idLookedUp(conn, cache, buildFqn(service, write.request.name)),
    };
  }
  // Requests the answer does not name are written again on their own (PUT is idempotent). Every index is
  // visited: `results` has holes, which `.map` would skip.
  return Promise.all(writes.map((write, i) => results[i] ?? writeOne(conn, write)));
}

/** Writes the dashboards: the results in the order of `writes`. Fails only when the page as a whole fails. */
export async function writeDashboards(
  conn: Connected, cache: RunCache, service: string, writes: DashboardWrite[], options: WriteOptions = {},
): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(writes.length);
  const bulk = writes.flatMap((write, i) => (write.restoring ? [] : [i]));
  const restoring = writes.flatMap((write, i) => (write.restoring ? [i] : []));
  await Promise.all(restoring.map(async (i) => { results[i] = await writeOne(conn, writes[i]); }));
  // Only the bulk call carries overrideMetadata: asked for, even one dashboard goes through it.
  if (bulk.length < (options.overrideMetadata ? 1 : BULK_FROM)) {
    for (const i of bulk) results[i] = await writeOne(conn, writes[i]);
    return results;
  }
  for (let start = 0; start < bulk.length; start += BULK_SIZE) {
    const chunk = bulk.slice(start, start + BULK_SIZE);
    const written = await writeBulk(conn, cache, service, chunk.map((i) => writes[i]), options);
    chunk.forEach((i, k) => { results[i] = written[k]; });
  }
  return results;
}
