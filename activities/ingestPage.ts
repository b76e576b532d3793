import { remember, type Connected, type RunCache } from './context';
import type { HexProject } from './hex/types';
import { isFilteredOut } from './mapping/filter';
import { malformedReason, ownerEmailOf, toCreateDashboard } from './mapping/dashboard';
import { createTagRequest, tagNamesOf } from './mapping/tags';
import { nameDigest } from './mapping/seen';
import { ServiceError } from './common/httpErrors';
import type { EntityReference } from './openmetadata/types';
import type { ItemReport, PageCounts, PageInput, PageResult } from './types';
import { REPORT_LIMIT } from './types';
import pLimit from 'p-limit';

/** Dashboards of one page written at the same time. */
export const PROJECT_WRITE_CONCURRENCY = 8;

export function emptyCounts(): PageCounts {
  return {
    projectsSeen: 0, projectsFiltered: 0, dashboardsCreated: 0, dashboardsUpdated: 0, dashboardsUnchanged: 0,
    ownersResolved: 0, ownersUnresolved: 0, tagsAttached: 0,
  };
}

function label(project: Partial<HexProject>): string {
  const title = typeof project.title === 'string' ? project.title.slice(0, 120) : '';
  return title ? `${project.id} (${title})` : String(project.id ?? '?');
}

/** A per-item failure (one entity rejected) as opposed to a failure of the whole page. */
function isItemFailure(error: unknown): error is ServiceError {
  return error instanceof ServiceError && error.status !== null && error.status >= 400 && error.status < 500
    && error.status !== 401 && error.status !== 403 && error.status !== 429;
}

function ownerOf(cache: RunCache, conn: Connected, email: string): Promise<EntityReference | null> {
  return remember(cache.owners, email, () => conn.openMetadata.ownerByEmail(email));
}

function existingDashboards(cache: RunCache, conn: Connected, service: string) {
  if (!cache.existingDashboards) {
    const load = async () => {
      const byName = new Map<string, { sourceHash: string | null; deleted: boolean }>();
      let after: string | null = null;
      do {
        const page = await conn.openMetadata.listDashboards(service, after, 1000, 'all');
        for (const d of page.dashboards) byName.set(d.name ?? '', { sourceHash: d.sourceHash ?? null, deleted: d.deleted === true });
        after = page.after;
      } while (after);
      return byName;
    };
    cache.existingDashboards = load();
    cache.existingDashboards.catch(() => { cache.existingDashboards = null; });
  }
  return cache.existingDashboards;
}

function ensureTag(cache: RunCache, conn: Connected, name: string): Promise<boolean> {
  return remember(cache.tags, name, () => conn.openMetadata.putTag(createTagRequest(name)).then(() => true));
}

/** Reads one page of Hex projects and writes a dashboard for each kept project. Idempotent. */
export async function ingestProjectPage(conn: Connected, cache: RunCache, input: PageInput): Promise<PageResult> {
  const { plan } = input;
  const page = await conn.hex.listProjects(input.cursor);
  const counts = emptyCounts();
  const warnings: ItemReport[] = [];
  const failures: ItemReport[] = [];
  let keptDigests = '';
  const report = (list: ItemReport[], item: string, reason: string) => {
    if (list.length < REPORT_LIMIT) list.push({ item, reason });
  };

  const ingestOne = async (raw: unknown): Promise<void> => {
    counts.projectsSeen++;
    const problem = malformedReason(raw);
    if (problem) {
      report(failures, label(raw ?? {}), `malformed project from Hex: ${problem}`);
      return;
    }
    const project = raw as HexProject;
    if (plan.hasProjectFilterPattern || isFilteredOut(project.title, plan.dashboardFilterPattern)) {
      counts.projectsFiltered++;
      return;
    }
    keptDigests += nameDigest(project.id);
    try {
      let owner: EntityReference | null = null;
      const email = ownerEmailOf(project);
      if (email) {
        owner = await ownerOf(cache, conn, email);
        if (owner) counts.ownersResolved++;
        else {
          counts.ownersUnresolved++;
          // One warning per e-mail and run: the count above says how many projects it affects.
          if (!cache.ownersWarned.has(email)) {
            cache.ownersWarned.add(email);
            report(warnings, email, `owner e-mail is not an OpenMetadata user or team (first seen on ${label(project)})`);
          }
        }
      }
      const context = { serviceName: plan.serviceName, hostPort: plan.hexHostPort, workspace: plan.workspace, owner };
      const wantedTags = plan.includeTags ? tagNamesOf(project) : [];
      let request = toCreateDashboard(project, { ...context, tagNames: wantedTags });
      // Incremental: an unchanged project (same fingerprint as stored) costs no write at all.
      const stored = (await existingDashboards(cache, conn, plan.serviceName)).get(project.id);
      if (!plan.overrideMetadata && stored && !stored.deleted && stored.sourceHash === request.sourceHash) {
        counts.dashboardsUnchanged++;
        counts.tagsAttached += wantedTags.length;
        return;
      }
      const tagNames: string[] = [];
      for (const name of wantedTags) {
        try {
          if (await ensureTag(cache, conn, name)) tagNames.push(name);
        } catch (error) {
          if (!isItemFailure(error)) throw error;
          report(warnings, label(project), `tag ${JSON.stringify(name)} not written: ${error.message}`);
        }
      }
      if (tagNames.length !== wantedTags.length) request = toCreateDashboard(project, { ...context, tagNames });
      const { outcome } = await conn.openMetadata.putDashboard(request);
      counts.tagsAttached += tagNames.length;
      if (outcome === 'created') counts.dashboardsCreated++;
      else if (outcome === 'updated') counts.dashboardsUpdated++;
      else counts.dashboardsUnchanged++;
    } catch (error) {
      if (!isItemFailure(error)) throw error;
      report(failures, label(project), error.message);
    }
  };
  // Projects of a page are written side by side (bounded), hiding OpenMetadata's latency behind Hex's rate limit.
  // After a failure of the whole page (auth, 5xx), no further project is started: the page will be retried.
  const limit = pLimit(PROJECT_WRITE_CONCURRENCY);
  let pageFailed = false;
  await Promise.all(page.values.map((raw) => limit(async () => {
    if (pageFailed) return;
    try {
      await ingestOne(raw);
    } catch (error) {
      pageFailed = true;
      throw error;
    }
  })));
  return { next: page.pagination.after ?? null, keptDigests, counts, warnings, failures };
}
