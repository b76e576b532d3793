import type { IngestionPlan } from '../config/types';
import { rememberListing, type Connected, type RunCache, type StoredDashboard } from '../runtime/context';

// What OpenMetadata already holds of the service, read once per run and shared by its activities on a worker.

/** Dashboards of the service that OpenMetadata already has, read once per run (in pages of 1,000). */
export function existingDashboards(cache: RunCache, conn: Connected, plan: IngestionPlan): Promise<Map<string, StoredDashboard>> {
  return rememberListing(cache, 'existingDashboards', async () => {
    const fields = plan.usage ? 'sourceHash,usageSummary' : 'sourceHash';
    const byName = new Map<string, StoredDashboard>();
    let after: string | null = null;
    do {
      const page = await conn.openMetadata.listDashboards(plan.serviceName, after, 1000, 'all', fields);
      for (const d of page.dashboards) {
        byName.set(d.name ?? '', { id: d.id, sourceHash: d.sourceHash ?? null, deleted: d.deleted === true, usageSummary: d.usageSummary ?? null });
      }
      after = page.after;
    } while (after);
    return byName;
  });
}

/** The service's live charts and their fingerprints, read once per run (1,000 a request). */
export function existingCharts(cache: RunCache, conn: Connected, plan: IngestionPlan): Promise<Map<string, string | null>> {
  return rememberListing(cache, 'existingCharts', async () => {
    const byName = new Map<string, string | null>();
    let after: string | null = null;
    do {
      const page = await conn.openMetadata.listCharts(plan.serviceName, after);
      for (const c of page.charts) if (c.name && !c.deleted) byName.set(c.name, c.sourceHash ?? null);
      after = page.after;
    } while (after);
    return byName;
  });
}
