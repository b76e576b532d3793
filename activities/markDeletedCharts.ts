import type { Connected } from './runtime/context';
import { componentDigest, digestSet } from './mapping/seen';
import { isMissingEndpoint, softDeleteEach } from './markDeletedDashboards';
import { buildFqn } from './openmetadata/fqn';
import { behaviourOf } from './openmetadata/serverBehaviour';
import type { MarkDeletedInput, MarkDeletedResult } from './types';

/**
 * Soft-deletes the service's charts the source no longer has (OpenMetadata 2.0's markDeletedCharts), after a
 * complete listing and after the dashboards were marked deleted. A chart is kept when a live dashboard of the
 * service shows it (cells of changed projects were written this run; an unchanged project keeps its charts) or
 * when it is a component this listing kept. The rest are deleted: in one request on a 2.0 server (deleteStale
 * with the kept charts), else one by one.
 */
export async function markDeletedCharts(conn: Connected, input: MarkDeletedInput): Promise<MarkDeletedResult> {
  const service = input.plan.serviceName;
  const keptComponents = digestSet(input.seenDigests);
  const shown = new Set<string>();
  let after: string | null = null;
  do {
    const page = await conn.openMetadata.listDashboards(service, after, 1000, 'non-deleted', 'charts');
    for (const dashboard of page.dashboards) for (const chart of dashboard.charts ?? []) if (chart.id) shown.add(chart.id);
    after = page.after;
  } while (after);

  const kept: string[] = [];
  const stale: { id: string; name: string }[] = [];
  after = null;
  do {
    const page = await conn.openMetadata.listCharts(service, after, 1000, 'non-deleted');
    for (const chart of page.charts) {
      const name = chart.name ?? chart.id;
      if (shown.has(chart.id) || keptComponents.has(componentDigest(name))) kept.push(name);
      else stale.push({ id: chart.id, name });
    }
    after = page.after;
  } while (after);
  if (stale.length === 0) return { deleted: 0, failures: [] };

  if (behaviourOf(input.plan).deleteStale) {
    try {
      const deleted = await conn.openMetadata.deleteStale('charts', service, kept.map((name) => buildFqn(service, name)));
      return { deleted: deleted ?? stale.length, failures: [], serverSide: true };
    } catch (error) {
      if (!isMissingEndpoint(error)) throw error;
    }
  }
  return softDeleteEach(stale, (id) => conn.openMetadata.softDeleteChart(id));
}
