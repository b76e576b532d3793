import type { IngestionPlan } from '../config/types';
import type { Connected, RunCache, StoredDashboard } from '../runtime/context';

// What OpenMetadata already holds of the service, read once per run and shared by its activities on a worker.

/** Dashboards of the service that OpenMetadata already has, read once per run (in pages of 1,000). */
export function existingDashboards(cache: RunCache, conn: Connected, plan: IngestionPlan): Promise<Map<string, StoredDashboard>> {
  if (!cache.existingDashboards) {
    const fields = plan.usage ? 'sourceHash,usageSummary' : 'sourceHash';
    const load = async () => {
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
    };
    cache.existingDashboards = load();
    cache.existingDashboards.catch(() => { cache.existingDashboards = null; });
  }
  return cache.existingDashboards;
}

/** The service's live charts and their fingerprints, read once per run (1,000 a request). */
export function existingCharts(cache: RunCache, conn: Connected, plan: IngestionPlan): Promise<Map<string, string | null>> {
  if (!cache.existingCharts) {
    const load = async () => {
      const byName = new Map<string, string | null>();
      let after: string | null = null;
      do {
        const page = await conn.openMetadata.listCharts(plan.serviceName, after);
        for (const c of page.charts) if (c.name && !c.deleted) byName.set(c.name, c.sourceHash ?? null);
        after = page.after;
      } while (after);
      return byName;
    };
    cache.existingCharts = load();
    cache.existingCharts.catch(() => { cache.existingCharts = null; });
  }
  return cache.existingCharts;
}
