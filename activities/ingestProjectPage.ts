import type { Connected, RunCache } from './runtime/context';
import { existingDashboards } from './dashboards/storedEntities';
import type { HexProject } from './hex/types';
import { writeDashboards } from './dashboards/dashboardWrites';
import { isItemFailure } from './failures';
import { finishProject, ingestComponent, prepareProject, projectLabel, type DashboardWritten, type PreparedProject, type ProjectContext } from './dashboards/ingestProject';
import { FilterUndecided, isFilteredOut } from './mapping/filter';
import { malformedReason } from './mapping/dashboard';
import { componentDigest, nameDigest } from './mapping/seen';
import { behaviourOf } from './openmetadata/serverBehaviour';
import { utcDate } from './mapping/usage';
import type { CreatedDashboard, ItemReport, PageInput, PageResult } from './types';
import { addReport, emptyPageCounts } from '../workflows/summary';
import pLimit from 'p-limit';

/** Dashboards of one page written at the same time. */
export const PROJECT_WRITE_CONCURRENCY = 8;

export { emptyPageCounts as emptyCounts };

const DUPLICATE_ON_PAGE = "listed more than once on one page of Hex's listing: the last copy is used";

/** The page without earlier copies of a project listed twice (each dropped copy is reported). */
export function lastCopyOfEach(values: unknown[], dropped: (item: string) => void): unknown[] {
  const idOf = (value: unknown) => (value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined);
  const last = new Map<string, number>();
  values.forEach((value, i) => {
    const id = idOf(value);
    if (typeof id === 'string') last.set(id, i);
  });
  return values.filter((value, i) => {
    const id = idOf(value);
    if (typeof id !== 'string' || last.get(id) === i) return true;
    dropped(projectLabel(value as Partial<HexProject>));
    return false;
  });
}

/** Reads one page of Hex projects and writes a dashboard for each kept project. Idempotent. */
export async function ingestProjectPage(conn: Connected, cache: RunCache, input: PageInput): Promise<PageResult> {
  const { plan } = input;
  // Incremental listings go from the latest edit backwards, so the first page of unchanged projects ends them.
  const page = await conn.hex.listProjects(input.cursor, { includeComponents: plan.charts, latestEditsFirst: plan.listing === 'incremental' });
  const counts = emptyPageCounts();
  const warnings: ItemReport[] = [];
  const failures: ItemReport[] = [];
  let keptDigests = '';
  // The kept projects' names, for servers that mark deleted what was not seen by name (deleteStale).
  const keepNames = behaviourOf(plan).deleteStale;
  let keptNames = '';
  let kept = 0;
  let keptChanged = 0;
  const report = addReport;
  const created: CreatedDashboard[] = [];

  let pageFailed = false;
  const ctx: ProjectContext = {
    conn, cache, plan, counts, runDate: input.runDate ?? utcDate(new Date()),
    warn: (item, reason) => report(warnings, item, reason),
    stored: await existingDashboards(cache, conn, plan),
    abandoned: () => pageFailed,
  };

  const prepared: PreparedProject[] = [];
  const prepareOne = async (raw: unknown): Promise<void> => {
    const problem = malformedReason(raw);
    if (problem) {
      counts.projectsSeen++;
      report(failures, projectLabel(raw ?? {}), `malformed project from Hex: ${problem}`);
      return;
    }
    const project = raw as HexProject;
    try {
      if (project.type === 'COMPONENT') {
        // A kept component's chart is not marked deleted (see markDeletedCharts.ts).
        if (plan.charts && !isFilteredOut(project.title, plan.chartFilterPattern)) keptDigests += componentDigest(project.id);
        return await ingestComponent(ctx, project);
      }
      counts.projectsSeen++;
      if (plan.hasProjectFilterPattern || isFilteredOut(project.title, plan.dashboardFilterPattern)) {
        counts.projectsFiltered++;
        return;
      }
      keptDigests += nameDigest(project.id);
      if (keepNames) keptNames += `${project.id}\n`;
      kept++;
      prepared.push(await prepareProject(ctx, project));
    } catch (error) {
      keptChanged++; // a failed project is not known to be unchanged
      if (error instanceof FilterUndecided) {
        keptDigests += nameDigest(project.id); // not known to be filtered out: its dashboard is not marked deleted
        if (keepNames) keptNames += `${project.id}\n`;
        report(failures, projectLabel(project), error.message);
        return;
      }
      if (!isItemFailure(error)) throw error;
      report(failures, projectLabel(project), error.message);
    }
  };
  // Projects of a page are read side by side (bounded), hiding OpenMetadata's latency behind Hex's rate limit.
  // After a failure of the whole page (auth, 5xx), no further project is started: the page will be retried.
  const limit = pLimit(PROJECT_WRITE_CONCURRENCY);
  const eachBounded = <T>(items: T[], work: (item: T) => Promise<void>) => Promise.all(items.map((item) => limit(async () => {
    if (pageFailed) return;
    try {
      await work(item);
    } catch (error) {
      pageFailed = true;
      throw error;
    }
  })));
  await eachBounded(lastCopyOfEach(page.values, (item) => report(warnings, item, DUPLICATE_ON_PAGE)), prepareOne);

  // The changed dashboards in one bulk write, then each project's follow-up (usage, cell lineage).
  const changed = prepared.filter((p) => p.changed);
  keptChanged += changed.length;
  const results = await writeDashboards(conn, cache, plan.serviceName, changed.map((p) => ({
    request: p.request, storedId: p.stored && !p.stored.deleted ? p.stored.id : null, restoring: !!p.stored?.deleted,
    writtenByRun: cache.createdDashboards.has(p.project.id),
  })), behaviourOf(plan).bulkOverrideMetadata ? { overrideMetadata: plan.overrideMetadata } : {});
  const written = new Map<PreparedProject, DashboardWritten>();
  changed.forEach((p, i) => {
    const result = results[i];
    if (result.ok && result.outcome === 'created') created.push([p.project.id, result.knownId]);
    if (result.ok) written.set(p, { outcome: result.outcome, id: result.id });
    else report(failures, projectLabel(p.project), result.error.message);
  });
  const finishing = prepared.filter((p) => !p.changed || written.has(p));
  await eachBounded(finishing, async (p) => {
    try {
      await finishProject(ctx, p, written.get(p) ?? null);
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      report(failures, projectLabel(p.project), error.message);
    }
  });
  const allUnchanged = kept > 0 && keptChanged === 0 && failures.length === 0;
  return { next: page.pagination.after ?? null, keptDigests, counts, warnings, failures, allUnchanged, created, ...(keepNames ? { keptNames } : {}) };
}
