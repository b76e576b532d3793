import type { Connected } from './context';
import { ServiceError } from './common/httpErrors';
import { digestSet, nameDigest } from './mapping/seen';
import { REPORT_LIMIT, type MarkDeletedInput, type MarkDeletedResult } from './types';

/**
 * Soft-deletes the service's dashboards whose project was not kept by this run's complete listing (gone from
 * Hex, archived, trashed or filtered out), as OpenMetadata's markDeletedDashboards does.
 */
export async function markDeletedDashboards(conn: Connected, input: MarkDeletedInput): Promise<MarkDeletedResult> {
  const seen = digestSet(input.seenDigests);
  const stale: { id: string; name: string }[] = [];
  let after: string | null = null;
  do {
    // 1,000 a request, names only: at 50,000 dashboards 100 a request cost most of a minute.
    const page = await conn.openMetadata.listDashboards(input.plan.serviceName, after, 1000, 'non-deleted', '');
    for (const dashboard of page.dashboards) {
      if (!seen.has(nameDigest(dashboard.name ?? ''))) stale.push({ id: dashboard.id, name: dashboard.name ?? dashboard.id });
    }
    after = page.after;
  } while (after);

  const result: MarkDeletedResult = { deleted: 0, failures: [] };
  for (const dashboard of stale) {
    try {
      await conn.openMetadata.softDeleteDashboard(dashboard.id);
      result.deleted++;
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status === null || error.status >= 500 || error.isAuthFailure) throw error;
      if (error.status === 404) continue; // deleted meanwhile: the goal is reached
      if (result.failures.length < REPORT_LIMIT) result.failures.push({ item: dashboard.name, reason: error.message });
    }
  }
  return result;
}
