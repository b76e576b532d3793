import type { Connected } from './runtime/context';
import { ServiceError } from './common/httpErrors';
import { digestSet, nameDigest } from './mapping/seen';
import { buildFqn } from './openmetadata/fqn';
import { behaviourOf } from './openmetadata/serverBehaviour';
import { REPORT_LIMIT, type ItemReport, type MarkDeletedInput, type MarkDeletedResult } from './types';
import pLimit from 'p-limit';

/** An answer that means "the server has no such endpoint". */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ServiceError && (error.status === 404 || error.status === 405);
}

/** Soft-deletes in flight at once: thousands of archived projects are not cleaned up one request at a time. */
export const DELETE_CONCURRENCY = 8;

/** An answer that fails the whole activity (server error, auth, no answer) rather than one item. */
function failsTheActivity(error: unknown): boolean {
  return !(error instanceof ServiceError) || error.status === null || error.status >= 500 || error.isAuthFailure;
}

/**
 * Soft-deletes each entity in `stale`, several at a time; one refused is a failure of that item (reported in
 * the order of `stale`), one already gone is done. Errors of the server as a whole (5xx, auth) fail the
 * activity, which is retried: no further delete is started after one.
 */
export async function softDeleteEach(stale: { id: string; name: string }[], remove: (id: string) => Promise<void>): Promise<MarkDeletedResult> {
  const result: MarkDeletedResult = { deleted: 0, failures: [] };
  const refused = new Map<number, ItemReport>();
  const fatal: unknown[] = [];
  const limit = pLimit(DELETE_CONCURRENCY);
  await Promise.all(stale.map((entity, index) => limit(async () => {
    if (fatal.length) return;
    try {
      await remove(entity.id);
      result.deleted++;
    } catch (error) {
      if (failsTheActivity(error)) fatal.push(error);
      else if ((error as ServiceError).status !== 404) refused.set(index, { item: entity.name, reason: (error as Error).message });
      // 404: deleted meanwhile, the goal is reached
    }
  })));
  if (fatal.length) throw fatal[0];
  result.failures = [...refused.keys()].sort((a, b) => a - b).slice(0, REPORT_LIMIT).map((index) => refused.get(index)!);
  return result;
}

/**
 * Soft-deletes the service's dashboards whose project was not kept by this run's complete listing (gone from
 * Hex, archived, trashed or filtered out), as OpenMetadata's markDeletedDashboards does. A 2.0 server does it
 * in one request from the names seen (deleteStale); without the endpoint, or without the names, the service's
 * dashboards are listed and the unseen ones soft-deleted, eight at a time.
 */
export async function markDeletedDashboards(conn: Connected, input: MarkDeletedInput): Promise<MarkDeletedResult> {
  const service = input.plan.serviceName;
  if (behaviourOf(input.plan).deleteStale && typeof input.seenNames === 'string') {
    const seenFqns = input.seenNames.split('\n').filter(Boolean).map((name) => buildFqn(service, name));
    try {
      const deleted = await conn.openMetadata.deleteStale('dashboards', service, seenFqns);
      return { deleted: deleted ?? 0, failures: [], serverSide: true };
    } catch (error) {
      if (!isMissingEndpoint(error)) throw error;
      conn.log.info('OpenMetadata has no deleteStale for dashboards: listing them instead');
    }
  }
  const seen = digestSet(input.seenDigests);
  const stale: { id: string; name: string }[] = [];
  let after: string | null = null;
  do {
    // 1,000 a request, names only: at 50,000 dashboards 100 a request cost most of a minute.
    const page = await conn.openMetadata.listDashboards(service, after, 1000, 'non-deleted', '');
    for (const dashboard of page.dashboards) {
      if (!seen.has(nameDigest(dashboard.name ?? ''))) stale.push({ id: dashboard.id, name: dashboard.name ?? dashboard.id });
    }
    after = page.after;
  } while (after);
  return softDeleteEach(stale, (id) => conn.openMetadata.softDeleteDashboard(id));
}
