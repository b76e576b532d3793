import { lineageFromCells } from '../edges/cellLineage';
import { existingCharts } from './storedEntities';
import { ownerByEmail } from '../openmetadata/entityIds';
import { remember, type Connected, type RunCache, type StoredDashboard } from '../runtime/context';
import { ServiceError } from '../common/httpErrors';
import { isItemFailure } from '../failures';
import type { HexCell, HexProject } from '../hex/types';
import { cellToCreateChart, chartFqn, componentToCreateChart, isChartCell, malformedCellReason } from '../mapping/charts';
import { cleanTitle, controlCharactersReason, ownerEmailOf, toCreateDashboard } from '../mapping/dashboard';
import { isFilteredOut } from '../mapping/filter';
import { createTagRequest, tagNamesOf } from '../mapping/tags';
import { dailyUsageOf } from '../mapping/usage';
import { buildFqn } from '../openmetadata/fqn';
import type { CreateChart, CreateDashboard, EntityReference, WriteOutcome } from '../openmetadata/types';
import type { IngestionPlan } from '../config/types';
import type { PageCounts } from '../types';

export function projectLabel(project: Partial<HexProject>): string {
  const title = typeof project.title === 'string' ? cleanTitle(project.title).slice(0, 120) : '';
  return title ? `${project.id} (${title})` : String(project.id ?? '?');
}

/** What ingesting one project needs besides the project. */
export interface ProjectContext {
  conn: Connected;
  cache: RunCache;
  plan: IngestionPlan;
  runDate: string;
  counts: PageCounts;
  warn: (item: string, reason: string) => void;
  stored: Map<string, StoredDashboard>;
  /** True once the page has failed as a whole: no further write starts. */
  abandoned: () => boolean;
}

/** Ends a project's work when its page has already failed (the page's own error is the one reported). */
export class PageAbandoned extends Error {
  constructor() {
    super('page abandoned after a failure of the whole page');
  }
}

function ownerOf(ctx: ProjectContext, project: HexProject): Promise<EntityReference | null> | null {
  const email = ownerEmailOf(project);
  if (!email) return null;
  return remember(ctx.cache.owners, email, () => ownerByEmail(ctx.conn, ctx.cache, email)).then((owner) => {
    if (owner) ctx.counts.ownersResolved++;
    else {
      ctx.counts.ownersUnresolved++;
      // One warning per e-mail and run: the count says how many projects it affects.
      if (!ctx.cache.ownersWarned.has(email)) {
        ctx.cache.ownersWarned.add(email);
        ctx.warn(email, `owner e-mail is not an OpenMetadata user or team (first seen on ${projectLabel(project)})`);
      }
    }
    return owner;
  });
}

/** The wanted tags that exist (or could be written) in OpenMetadata; a rejected tag is a warning. */
async function ensureTags(ctx: ProjectContext, project: HexProject, wanted: string[]): Promise<string[]> {
  const written: string[] = [];
  for (const name of wanted) {
    try {
      await remember(ctx.cache.tags, name, () => ctx.conn.openMetadata.putTag(createTagRequest(name)).then(() => true));
      written.push(name);
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      ctx.warn(projectLabel(project), `tag ${JSON.stringify(name)} not written: ${error.message}`);
    }
  }
  return written;
}

/**
 * The project's cells, or null when Hex will not show them (a token without the Cells scope: 403; a project
 * gone since the listing: 404). Then the dashboard is written without the cells' fingerprint, so a later run
 * that can read them does.
 */
async function readCells(ctx: ProjectContext, project: HexProject): Promise<HexCell[] | null> {
  const cells: HexCell[] = [];
  let after: string | null = null;
  do {
    let page;
    try {
      page = await ctx.conn.hex.listCells(project.id, after);
    } catch (error) {
      if (!(error instanceof ServiceError) || (error.status !== 403 && error.status !== 404)) throw error;
      if (error.status === 404) ctx.warn(projectLabel(project), 'cells not found (project deleted since the listing?)');
      else if (!ctx.cache.cellsRefusedWarned) {
        ctx.cache.cellsRefusedWarned = true;
        ctx.warn('cells', 'the Hex token may not read cells (grant it Cells → Read): no charts or cell lineage this run');
      }
      return null;
    }
    for (const cell of page.values) {
      const problem = malformedCellReason(cell);
      if (problem) ctx.warn(projectLabel(project), `malformed cell from Hex skipped: ${problem}`);
      else cells.push(cell);
    }
    after = page.pagination.after ?? null;
  } while (after);
  ctx.counts.cellsRead += cells.length;
  return cells;
}

/** Writes a chart unless OpenMetadata already has it with the same fingerprint; true when written. */
async function putChartIfChanged(ctx: ProjectContext, request: CreateChart): Promise<boolean> {
  if ((await existingCharts(ctx.cache, ctx.conn, ctx.plan)).get(request.name) === request.sourceHash) return false;
  await ctx.conn.openMetadata.putChart(request);
  return true;
}

/** Writes the project's chart-like cells as charts; returns the FQNs of all of them (written or unchanged). */
async function writeCellCharts(ctx: ProjectContext, project: HexProject, cells: HexCell[]): Promise<string[]> {
  const fqns: string[] = [];
  const chartCtx = { serviceName: ctx.plan.serviceName, hostPort: ctx.plan.hexHostPort, workspace: ctx.plan.workspace };
  for (const cell of cells.filter(isChartCell)) {
    const request = cellToCreateChart(project, cell, chartCtx);
    if (isFilteredOut(request.displayName ?? request.name, ctx.plan.chartFilterPattern)) continue;
    try {
      if (await putChartIfChanged(ctx, request)) ctx.counts.chartsWritten++;
      fqns.push(chartFqn(ctx.plan.serviceName, request.name));
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      ctx.warn(projectLabel(project), `chart for cell ${cell.staticId} not written: ${error.message}`);
    }
  }
  return fqns;
}

/** A Hex component becomes a chart of the service (Hex does not say which projects import it). */
export async function ingestComponent(ctx: ProjectContext, component: HexProject): Promise<void> {
  ctx.counts.componentsSeen++;
  if (!ctx.plan.charts || isFilteredOut(component.title, ctx.plan.chartFilterPattern)) return;
  const owner = await ownerOf(ctx, component);
  const wanted = ctx.plan.includeTags ? tagNamesOf(component) : [];
  const chartCtx = { serviceName: ctx.plan.serviceName, hostPort: ctx.plan.hexHostPort, workspace: ctx.plan.workspace, owner };
  let request = componentToCreateChart(component, { ...chartCtx, tagNames: wanted });
  if ((await existingCharts(ctx.cache, ctx.conn, ctx.plan)).get(request.name) === request.sourceHash) return;
  const tagNames = await ensureTags(ctx, component, wanted);
  if (tagNames.length !== wanted.length) request = componentToCreateChart(component, { ...chartCtx, tagNames });
  await ctx.conn.openMetadata.putChart(request);
  ctx.counts.chartsWritten++;
}

/** A kept project after its reads: the dashboard request, and whether OpenMetadata lacks it as it is. */
export interface PreparedProject {
  project: HexProject;
  request: CreateDashboard;
  stored: StoredDashboard | undefined;
  /** False when OpenMetadata stores the same fingerprint: nothing to write. */
  changed: boolean;
  cells: HexCell[] | null;
  tagCount: number;
}

/**
 * Reads what one kept project's dashboard needs (owner, tags, cells and their charts when configured) and
 * builds its request. An unchanged project (same fingerprint as stored) costs no cell read and no write.
 */
export async function prepareProject(ctx: ProjectContext, project: HexProject): Promise<PreparedProject> {
  const { plan, counts } = ctx;
  const owner = await ownerOf(ctx, project);
  const context = { serviceName: plan.serviceName, hostPort: plan.hexHostPort, workspace: plan.workspace, owner };
  const readsCells = plan.charts || plan.cellLineage;
  const wantedTags = plan.includeTags ? tagNamesOf(project) : [];
  const request = toCreateDashboard(project, { ...context, tagNames: wantedTags, charts: readsCells ? [] : undefined });
  const stored = ctx.stored.get(project.id);
  const unchanged = !plan.overrideMetadata && !!stored && !stored.deleted && stored.sourceHash === request.sourceHash;
  if (unchanged) {
    counts.dashboardsUnchanged++;
    counts.tagsAttached += wantedTags.length;
    return { project, request, stored, changed: false, cells: null, tagCount: wantedTags.length };
  }
  const cleaned = controlCharactersReason(project);
  if (cleaned) ctx.warn(projectLabel(project), cleaned);
  const cells = readsCells ? await readCells(ctx, project) : null;
  const charts = !cells ? undefined : plan.charts ? await writeCellCharts(ctx, project, cells) : [];
  const tagNames = await ensureTags(ctx, project, wantedTags);
  return { project, request: toCreateDashboard(project, { ...context, tagNames, charts }), stored, changed: true, cells, tagCount: tagNames.length };
}

/** How a changed project's dashboard write went; null for an unchanged project. */
export type DashboardWritten = { outcome: WriteOutcome; id: () => Promise<string | null> } | null;

/** After the dashboard write: counts, cell lineage, and the day of usage. */
export async function finishProject(ctx: ProjectContext, prepared: PreparedProject, written: DashboardWritten): Promise<void> {
  const { plan, counts, conn } = ctx;
  const { project, stored, cells } = prepared;
  if (ctx.abandoned()) throw new PageAbandoned();
  if (written) {
    counts.tagsAttached += prepared.tagCount;
    if (written.outcome === 'created') {
      counts.dashboardsCreated++;
      ctx.cache.createdDashboards.set(project.id, written.id);
    } else if (written.outcome === 'updated') counts.dashboardsUpdated++;
    else counts.dashboardsUnchanged++;
    if (plan.cellLineage && cells?.length) {
      const id = await written.id();
      if (id) {
        await lineageFromCells(
          { conn, cache: ctx.cache, dbServicePrefixes: plan.dbServicePrefixes, projectLabel: projectLabel(project), warn: ctx.warn },
          { id, type: 'dashboard' }, cells, counts,
        );
      }
    }
  }
  const live = written !== null || (!!stored && !stored.deleted);
  if (plan.usage && live) {
    const usage = dailyUsageOf(project, ctx.runDate, stored?.deleted ? null : stored?.usageSummary);
    if (usage) {
      // By name: a dashboard created in bulk needs no id for it.
      await conn.openMetadata.putDashboardUsageByName(buildFqn(plan.serviceName, project.id), usage);
      counts.usageReported++;
    }
  }
}
