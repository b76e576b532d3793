import { Context } from '@temporalio/activity';
import { scrubbedAtBoundary } from './runtime/boundary';
import { WorkerState } from './runtime/context';
import { defaultActivityDeps, type ActivityDeps } from './runtime/deps';
import { toActivityFailure } from './failures';
import { ingestProjectPage } from './ingestProjectPage';
import { ingestProjectPages } from './ingestProjectPages';
import { lineageForPrefix } from './lineageForPrefix';
import { markDeletedDashboards } from './markDeletedDashboards';
import { markDeletedCharts } from './markDeletedCharts';
import { beginPipelineRun, reportPipelineStatus } from './pipelineStatus/activities';
import type { BeginPipelineRunInput, BeginPipelineRunResult, ReportStatusInput, ReportStatusResult } from './pipelineStatus/types';
import { prepareIngestion } from './prepareIngestion';
import type {
  LineageInput, LineageResult, MarkDeletedInput, MarkDeletedResult, PageInput, PageResult, PagesInput, PagesResult, PrepareInput, PrepareResult,
} from './types';

/** Keeps long activities visibly alive while they wait on rate limits or slow services. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => Context.current().heartbeat(), 5_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The activities a worker registers, given the clients they use (`defaultActivityDeps` builds the worker's own);
 * all state they share lives in one WorkerState.
 */
export function createActivities(deps: ActivityDeps = defaultActivityDeps()) {
  const { env } = deps;
  const state = new WorkerState(deps);
  return scrubbedAtBoundary({
    async prepareIngestion(input: PrepareInput): Promise<PrepareResult> {
      try {
        const result = await heartbeating(() => prepareIngestion(state, input));
        state.connect(input.source).log.info('ingestion prepared', { openMetadataVersion: result.openMetadataVersion, warnings: result.warnings.length });
        return result;
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source), true);
      }
    },
    async ingestProjectPage(input: PageInput): Promise<PageResult> {
      try {
        return await heartbeating(async () => {
          const conn = state.connect(input.source);
          const result = await ingestProjectPage(conn, state.runCache(input.runKey), input);
          // One INFO line a page of 100 projects: quiet enough for a 10k-project run.
          conn.log.info('page ingested', { ...result.counts, warnings: result.warnings.length, failures: result.failures.length, more: result.next !== null });
          return result;
        });
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    /** Several pages per activity (heartbeat = resume point); workflows from before batching call the one above. */
    async ingestProjectPages(input: PagesInput): Promise<PagesResult> {
      try {
        const conn = state.connect(input.source);
        return await ingestProjectPages(conn, state.runCache(input.runKey), input);
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    async markDeletedDashboards(input: MarkDeletedInput): Promise<MarkDeletedResult> {
      try {
        const conn = state.connect(input.source);
        const result = await heartbeating(() => markDeletedDashboards(conn, input));
        conn.log.info('deleted dashboards marked', { deleted: result.deleted, failures: result.failures.length });
        return result;
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    async markDeletedCharts(input: MarkDeletedInput): Promise<MarkDeletedResult> {
      try {
        const conn = state.connect(input.source);
        const result = await heartbeating(() => markDeletedCharts(conn, input));
        conn.log.info('deleted charts marked', { deleted: result.deleted, failures: result.failures.length, serverSide: result.serverSide === true });
        return result;
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    /** Best effort: never throws for OpenMetadata's answers (see pipelineStatus/activities.ts). */
    async beginPipelineRun(input: BeginPipelineRunInput): Promise<BeginPipelineRunResult> {
      try {
        return await beginPipelineRun(state, env, input);
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    /** Whether the namespace has hexmeta's search attributes (a query naming one is refused otherwise). */
    async searchAttributesRegistered(): Promise<boolean> {
      try {
        await Context.current().client.workflow.count(`HexmetaService = 'probe' AND HexmetaTrigger = 'probe'`);
        return true;
      } catch {
        return false;
      }
    },
    async reportPipelineStatus(input: ReportStatusInput): Promise<ReportStatusResult> {
      return reportPipelineStatus(state, env, input);
    },
    async lineageForPrefix(input: LineageInput): Promise<LineageResult> {
      try {
        const conn = state.connect(input.source);
        const result = await lineageForPrefix(conn, state.runCache(input.runKey), input);
        conn.log.info('lineage done', { prefix: input.prefix, ...result.counts, warnings: result.warnings.length });
        return result;
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;
