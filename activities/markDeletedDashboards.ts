import type { Connected } from './runtime/context';
import { ServiceError } from './common/httpErrors';
import { digestSet, nameDigest } from './mapping/seen';
import { buildFqn } from './openmetadata/fqn';
import { behaviourOf } from './openmetadata/serverBehaviour';
import { REPORT_LIMIT, type MarkDeletedInput, type MarkDeletedResult } from './types';

/** An answer that means "the server has no such endpoint". */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ServiceError && (error.status === 404 || error.status === 405);
}

/**
 * Soft-deletes each entity in `stale`; one refused is a failure of that item, one already gone is done. Errors
 * of the server as a whole (5xx, auth) fail the activity, which is retried.
 */
export async function softDeleteEach(stale: { id: string; name: string }[], remove: (id: string) => Promise<void>): Promise<MarkDeletedResult> {
  const result: MarkDeletedResult = { deleted: 0, failures: [] };
  for (const entity of stale) {
    try {
      await remove(entity.id);
      result.deleted++;
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status === null || error.status >= 500 || error.isAuthFailure) throw error;
      if (error.status === 404) continue; // deleted meanwhile: the goal is reached
      if (result.failures.length < REPORT_LIMIT) result.failures.push({ item: entity.name, reason: error.message });
    }
  }
  return result;
}

/**
 * Soft-deletes the service's dashboards whose project was not kept by this run's complete listing (gone from
 * Hex, archived, trashed or filtered out), as OpenMetadata's markDeletedDashboards does. A 2.0 server does it
 * in one request from the names seen (deleteStale); without the endpoint, or without the names, the service's
 * dashboards are listed and the unseen ones deleted one by one.
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
