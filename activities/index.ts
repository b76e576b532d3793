import { Context } from '@temporalio/activity';
import { WorkerState } from './context';
import { toActivityFailure } from './failures';
import { ingestProjectPage } from './ingestPage';
import { lineageForPrefix } from './lineagePrefix';
import { markDeletedDashboards } from './markDeleted';
import { prepareIngestion } from './prepare';
import type { LineageInput, LineageResult, MarkDeletedInput, MarkDeletedResult, PageInput, PageResult, PrepareInput, PrepareResult } from './types';

/** Keeps long activities visibly alive while they wait on rate limits or slow services. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => Context.current().heartbeat(), 5_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The activities a worker registers; all state they share lives in one WorkerState. */
export function createActivities(env: NodeJS.ProcessEnv = process.env) {
  const state = new WorkerState(env);
  return {
    async prepareIngestion(input: PrepareInput): Promise<PrepareResult> {
      try {
        return await heartbeating(() => prepareIngestion(state, input));
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source), true);
      }
    },
    async ingestProjectPage(input: PageInput): Promise<PageResult> {
      try {
        return await heartbeating(async () => {
          const conn = state.connect(input.source);
          return ingestProjectPage(conn, state.runCache(input.runKey), input);
        });
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    async markDeletedDashboards(input: MarkDeletedInput): Promise<MarkDeletedResult> {
      try {
        return await heartbeating(() => markDeletedDashboards(state.connect(input.source), input));
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
    async lineageForPrefix(input: LineageInput): Promise<LineageResult> {
      try {
        const conn = state.connect(input.source);
        return await lineageForPrefix(conn, state.runCache(input.runKey), input);
      } catch (error) {
        throw toActivityFailure(error, state.secretsOf(input.source));
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
