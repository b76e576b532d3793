import {
  ApplicationFailure, CancellationScope, ContinueAsNew, continueAsNew, isCancellation, patched, proxyActivities,
  setHandler, workflowInfo,
} from '@temporalio/workflow';
// The SDK's shared error and policy types (bundled with workflow code like @temporalio/workflow itself).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ingestionWorkflowId } from './ids';
import { ListingGuard } from './listingGuard';
import type { Activities } from '../activities';
import type { IngestionPlan } from '../activities/config/types';
import type { PagesInput, PagesResult } from '../activities/types';
import { ListingState } from './listingState';
import { listingProgressQuery, progressQuery, type IngestionInput, type IngestionSummary } from './messages';
import { outcomeOf } from './runOutcome';
import { addSeenNames } from './seenNames';
import { RunReport } from './runReport';
import { runDetails, runSummary } from './runText';
import { runUnderServiceId } from './serviceRun';
import { addCounts, addReports, rootMessage } from './summary';
import { followHexWaits, lacksSearchAttributes, markRun, showState } from './visibility';

/** Continue-as-new well before Temporal's history warnings, even if the server does not suggest it. */
const MAX_HISTORY_EVENTS = 4_000;

const setup = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

// Heartbeat timeouts of tens of seconds (activities heartbeat every 5 s, waits included): an attempt on a
// killed worker is retried within one timeout.
const lineageSteps = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});

const cleanup = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

const DAY_MS = 24 * 60 * 60 * 1000;

// Rate limits and transient failures are retried inside the activity, per request; these attempts are for
// crashed workers and longer outages. A batch lasts about 10 s: 10 attempts outlast nine kills of its worker.
const pages = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

function newSummary(): IngestionSummary {
  return {
    serviceName: null, phase: 'preparing', pagesRead: 0, runs: 1, openMetadataVersion: null,
    projectsSeen: 0, projectsFiltered: 0, dashboardsCreated: 0, dashboardsUpdated: 0, dashboardsUnchanged: 0,
    ownersResolved: 0, ownersUnresolved: 0, tagsAttached: 0, chartsWritten: 0, componentsSeen: 0, usageReported: 0,
    cellsRead: 0, sqlCells: 0, cellTablesResolved: 0, cellTablesUnresolved: 0, cellEdgesWritten: 0,
    listingStoppedEarly: false, historyReadUntil: {},
    warnings: [], failures: [], warningsTotal: 0, failuresTotal: 0, lineage: [], dashboardsMarkedDeleted: 0,
  };
}

/**
 * The history window of one prefix: from where the last complete read ended (less an overlap, as warehouses
 * record some queries late), but never further back than the configured lookback.
 */
function windowFor(full: { start: string; end: string }, readUntil: string | undefined, overlapMinutes: number) {
  const since = readUntil ? Date.parse(readUntil) - overlapMinutes * 60_000 : NaN;
  if (!Number.isFinite(since) || since <= Date.parse(full.start)) return full;
  return { start: new Date(Math.min(since, Date.parse(full.end))).toISOString(), end: full.end };
}

/** Batches of the first pages while lineage waits beside the listing: 1, 2, 4, 8 pages, then the default. */
const GROWING_BATCHES = [1, 2, 4, 8];

async function runUnderFixedId(input: IngestionInput, fixedId: string, plan: IngestionPlan): Promise<IngestionSummary> {
  try {
    return await runUnderServiceId(fixedId, input, { staticSummary: runSummary(plan.serviceName), staticDetails: runDetails(input.source, plan) });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    throw ApplicationFailure.nonRetryable(
      `an ingestion of this service is already running as workflow ${fixedId}; this run started nothing`,
      'AlreadyRunning',
    );
  }
}

/**
 * Pages of projects: several per activity, so history grows by a few events per thousand projects. Runs begun
 * before batching existed keep reading one page per activity when replayed.
 */
async function readPages(input: PagesInput): Promise<PagesResult> {
  if (patched('batched-pages')) return pages.ingestProjectPages(input);
  const page = await pages.ingestProjectPage(input);
  return { ...page, pagesRead: 1, warningsTotal: page.warnings.length, failuresTotal: page.failures.length, cursors: page.next === null ? [] : [page.next] };
}

/**
 * The workflow also takes what a person pastes into the Web UI's Start Workflow form: `{ "configPath": "..." }`
 * or the parsed workflow file itself (secrets as `${...}` references).
 */
export type HexIngestionArgument = IngestionInput | { configPath: string } | Record<string, unknown>;

function asIngestionInput(argument: HexIngestionArgument): IngestionInput {
  const a = argument as Record<string, any>;
  const source = a?.source;
  if (source && typeof source === 'object' && ('configPath' in source || 'config' in source)) return a as IngestionInput;
  if (typeof a?.configPath === 'string') return { source: { configPath: a.configPath } };
  return { source: { config: a } };
}

/** Ingests a Hex workspace into OpenMetadata: dashboards page by page, with the cursor kept here. */
export async function hexIngestion(argument: HexIngestionArgument): Promise<IngestionSummary> {
  const input = asIngestionInput(argument);
  const summary = input.resume?.summary ?? newSummary();
  setHandler(progressQuery, () => summary);

  let plan = input.resume?.plan;
  // Waits on Hex that activities announce (preparation's too) show in the current details; a handler, no command.
  followHexWaits(summary, () => plan?.dbServicePrefixes.length ?? 0);
  const runKey = input.resume?.runKey ?? workflowInfo().workflowId + '/' + workflowInfo().runId;
  // Fixed once per run (workflow time is deterministic), so retries and resumed runs read the same history.
  const now = Date.now();
  const window = input.resume?.window ?? { start: '', end: new Date(now).toISOString() };
  if (!plan) {
    const prepared = await setup.prepareIngestion({ source: input.source });
    plan = prepared.plan;
    window.start = new Date(now - plan.lookbackDays * DAY_MS).toISOString();
    // Started under another id (e.g. from the Web UI): run as the service's one ingestion, or refuse.
    const fixedId = ingestionWorkflowId(plan.serviceName);
    if (workflowInfo().workflowId !== fixedId) return runUnderFixedId(input, fixedId, plan);
    summary.serviceName = plan.serviceName;
    summary.openMetadataVersion = prepared.openMetadataVersion;
    summary.openMetadataBehaviour = prepared.openMetadataBehaviour;
    summary.warningsTotal += prepared.warnings.length;
    addReports(summary.warnings, prepared.warnings);
  }

  // OpenMetadata's pipeline status (when the file names a pipeline) and the end state by its threshold rule;
  // runs begun before this existed report nothing.
  const report = input.resume?.report
    ? new RunReport(input.source, summary, input.resume.report)
    : !input.resume && patched('pipeline-status') ? await RunReport.begin(input.source, summary, runKey) : null;
  // A run started from the Web UI (or by a schedule) carries no search attributes of its own: it sets them.
  if (!input.resume && patched('run-visibility') && lacksSearchAttributes() && await setup.searchAttributesRegistered()) markRun(plan.serviceName);
  try {
    return await listAndLink(input, summary, plan, runKey, window, report);
  } catch (error) {
    if (report && !(error instanceof ContinueAsNew)) {
      // A cancel from Temporal ends the OpenMetadata run `stopped`; that last write must not be cancelled too.
      const stopped = isCancellation(error);
      const prefixes = plan.dbServicePrefixes.length;
      await CancellationScope.nonCancellable(() => report.finish(stopped ? 'stopped' : 'failed', prefixes, stopped ? 'cancelled from Temporal' : rootMessage(error)));
    }
    throw error;
  }
}

/** The listing, lineage and marking deleted, once the run is prepared. */
async function listAndLink(
  input: IngestionInput, summary: IngestionSummary, plan: IngestionPlan, runKey: string, window: { start: string; end: string }, report: RunReport | null,
): Promise<IngestionSummary> {
  summary.phase = 'dashboards';
  let cursor = input.resume?.cursor ?? null;
  let seenDigests = input.resume?.seenDigests ?? '';
  let seenNames = input.resume?.seenNames;
  const guard = new ListingGuard(input.resume?.seenCursors);
  const firstPage = summary.pagesRead === 0;
  const prefixes = plan.dbServicePrefixes.slice(summary.lineage.length);
  const readUntil = input.historyReadUntil ?? {};
  const lineageOf = (prefix: string, whileListing: boolean) => lineageSteps.lineageForPrefix({
    source: input.source, plan: plan!, runKey, prefix, window: windowFor(window, readUntil[prefix], plan!.historyOverlapMinutes),
    ...(whileListing ? { whileListing } : {}),
  });
  // Lineage beside the listing, so its reads and writes take place while Hex's rate limit paces the pages.
  const beside = firstPage && prefixes.length > 0 && patched('lineage-while-listing')
    ? Promise.allSettled(prefixes.map((prefix) => lineageOf(prefix, true)))
    : null;
  // What lineage beside the listing waits for lives here, so every worker sees the same.
  const listing = new ListingState();
  setHandler(listingProgressQuery, (from) => listing.from(from));
  let batches = 0;
  if (firstPage || cursor !== null) {
    do {
      // While lineage waits beside it, the first batches are short, so it learns of the first dashboards early.
      const maxPages = beside ? GROWING_BATCHES[batches++] : undefined;
      const page = await readPages({ source: input.source, plan, runKey, cursor, runDate: window.end.slice(0, 10), ...(maxPages ? { maxPages } : {}) });
      if (beside) listing.add(page.created);
      summary.pagesRead += page.pagesRead;
      addCounts(summary, page.counts);
      summary.warningsTotal += page.warningsTotal;
      summary.failuresTotal += page.failuresTotal;
      addReports(summary.warnings, page.warnings);
      addReports(summary.failures, page.failures);
      // A listing that would never end fails before anything is marked deleted.
      const loop = guard.check(page.cursors ?? (page.next === null ? [] : [page.next]), summary.pagesRead);
      if (loop) throw ApplicationFailure.nonRetryable(`${loop}: the listing would never end, so it stops here and nothing is marked deleted`, 'ListingLoop');
      cursor = page.next;
      await report?.progress(plan.dbServicePrefixes.length, cursor === null);
      showState(summary, plan.dbServicePrefixes.length);
      seenDigests += page.keptDigests;
      seenNames = addSeenNames(seenNames, page.keptNames);
      if (page.stoppedEarly) summary.listingStoppedEarly = true;
      if (cursor !== null && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS)) {
        summary.runs++;
        listing.handedOver = true;
        await continueAsNew<typeof hexIngestion>({ source: input.source, historyReadUntil: input.historyReadUntil, resume: { plan, cursor, summary, runKey, window, seenDigests, seenNames, seenCursors: guard.digests(), ...(report ? { report: report.state } : {}) } });
      }
    } while (cursor !== null);
  }
  listing.done = true;

  summary.phase = 'lineage';
  showState(summary, plan.dbServicePrefixes.length);
  const outcomes = beside ? await beside : await Promise.allSettled(prefixes.map((prefix) => lineageOf(prefix, false)));
  // A prefix whose rows waited for dashboards created on other workers is read again, now that all exist. So is
  // one whose read beside the listing failed for good: a long read on a worker that dies spends an attempt each
  // time, so workers lost during the listing could use them all up (its writes are idempotent).
  const again = prefixes.map((_, i) => i).filter((i) => {
    const outcome = outcomes[i];
    if (outcome.status === 'fulfilled') return outcome.value.incomplete === true;
    return beside !== null && !isCancellation(outcome.reason) && patched('reread-failed-beside-listing');
  });
  const reread = await Promise.allSettled(again.map((i) => lineageOf(prefixes[i], false)));
  again.forEach((i, k) => { outcomes[i] = reread[k]; });
  outcomes.forEach((outcome, i) => {
    const previous = readUntil[prefixes[i]];
    if (outcome.status === 'fulfilled') {
      summary.lineage.push(outcome.value);
      // Read to the end (a warehouse without a usable connection read nothing): the next run starts here.
      if (outcome.value.dialect !== null) summary.historyReadUntil[prefixes[i]] = window.end;
      else if (previous) summary.historyReadUntil[prefixes[i]] = previous;
      summary.warningsTotal += outcome.value.warnings.length;
      addReports(summary.warnings, outcome.value.warnings);
    } else {
      if (previous) summary.historyReadUntil[prefixes[i]] = previous;
      // One warehouse failing never fails the run: its lineage is missing, and the summary says so.
      const reason = rootMessage(outcome.reason);
      summary.lineage.push({ prefix: prefixes[i], dialect: null, counts: null, warnings: [{ item: prefixes[i], reason }] } as never);
      summary.warningsTotal++;
      addReports(summary.warnings, [{ item: prefixes[i], reason: `lineage failed after retries: ${reason}` }]);
    }
  });

  summary.phase = 'finishing';
  showState(summary, plan.dbServicePrefixes.length);
  await report?.progress(plan.dbServicePrefixes.length, true);
  // Only after a complete listing: a page that failed for good has failed the run before this, and an
  // incremental listing that stopped early has not seen the older projects.
  if (plan.markDeletedDashboards && !summary.listingStoppedEarly) {
    const marked = await cleanup.markDeletedDashboards({ source: input.source, plan, seenDigests, ...(seenNames !== undefined ? { seenNames } : {}) });
    summary.dashboardsMarkedDeleted = marked.deleted;
    summary.failuresTotal += marked.failures.length;
    addReports(summary.failures, marked.failures);
  }
  // Charts only where hexmeta writes them; after the dashboards, whose deletion leaves their charts unshown.
  if (plan.markDeletedCharts && plan.charts && !summary.listingStoppedEarly && patched('mark-deleted-charts')) {
    const marked = await cleanup.markDeletedCharts({ source: input.source, plan, seenDigests });
    summary.chartsMarkedDeleted = marked.deleted;
    summary.failuresTotal += marked.failures.length;
    addReports(summary.failures, marked.failures);
  }

  summary.phase = 'done';
  showState(summary, plan.dbServicePrefixes.length);
  if (report) {
    summary.outcome = outcomeOf(summary, report.state.settings);
    await report.finish(summary.outcome.state, plan.dbServicePrefixes.length);
  }
  return summary;
}

