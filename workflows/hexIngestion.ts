import {
  continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ItemReport, PageCounts } from '../activities/types';
import { progressQuery, type IngestionInput, type IngestionSummary } from './messages';

const REPORT_LIMIT = 100;
/** Continue-as-new well before Temporal's history warnings, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 4_000;

const setup = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

const pages = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

function newSummary(): IngestionSummary {
  return {
    serviceName: null, phase: 'preparing', pagesRead: 0, runs: 1, openMetadataVersion: null,
    projectsSeen: 0, projectsFiltered: 0, dashboardsCreated: 0, dashboardsUpdated: 0, dashboardsUnchanged: 0,
    ownersResolved: 0, ownersUnresolved: 0, tagsAttached: 0,
    warnings: [], failures: [], warningsTotal: 0, failuresTotal: 0,
  };
}

function addReports(list: ItemReport[], more: ItemReport[]): void {
  for (const item of more) if (list.length < REPORT_LIMIT) list.push(item);
}

function addCounts(summary: IngestionSummary, counts: PageCounts): void {
  for (const key of Object.keys(counts) as (keyof PageCounts)[]) summary[key] += counts[key];
}

/** Ingests a Hex workspace into OpenMetadata: dashboards page by page, with the cursor kept here. */
export async function hexIngestion(input: IngestionInput): Promise<IngestionSummary> {
  const summary = input.resume?.summary ?? newSummary();
  setHandler(progressQuery, () => summary);

  let plan = input.resume?.plan;
  const runKey = input.resume?.runKey ?? workflowInfo().workflowId + '/' + workflowInfo().runId;
  if (!plan) {
    const prepared = await setup.prepareIngestion({ source: input.source });
    plan = prepared.plan;
    summary.serviceName = plan.serviceName;
    summary.openMetadataVersion = prepared.openMetadataVersion;
    summary.warningsTotal += prepared.warnings.length;
    addReports(summary.warnings, prepared.warnings);
  }

  summary.phase = 'dashboards';
  let cursor = input.resume?.cursor ?? null;
  const firstPage = summary.pagesRead === 0;
  if (firstPage || cursor !== null) {
    do {
      const page = await pages.ingestProjectPage({ source: input.source, plan, runKey, cursor });
      summary.pagesRead++;
      addCounts(summary, page.counts);
      summary.warningsTotal += page.warnings.length;
      summary.failuresTotal += page.failures.length;
      addReports(summary.warnings, page.warnings);
      addReports(summary.failures, page.failures);
      cursor = page.next;
      if (cursor !== null && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS)) {
        summary.runs++;
        await continueAsNew<typeof hexIngestion>({ source: input.source, resume: { plan, cursor, summary, runKey } });
      }
    } while (cursor !== null);
  }

  summary.phase = 'done';
  return summary;
}

