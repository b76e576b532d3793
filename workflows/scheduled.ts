import { workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ConfigSource } from '../activities/config/types';
import { ingestionWorkflowId as fixedIdFor } from './ids';
import type { IngestionSummary } from './messages';
import { runUnderServiceId } from './serviceRun';

/** What a schedule starts: where the worker reads the configuration, and the service it names (no secrets). */
export interface ScheduledIngestionInput {
  source: ConfigSource;
  serviceName: string;
}

export type ScheduledIngestionResult =
  | { outcome: 'completed'; ingestionWorkflowId: string; summary: IngestionSummary }
  /** Another ingestion of the service (CLI, API or UI) was running: this scheduled run did not start one. */
  | { outcome: 'alreadyRunning'; ingestionWorkflowId: string; historyReadUntil?: Record<string, string> };

/** Where the schedule's previous run left the query history (Temporal hands a schedule its last result). */
function previousHistoryReadUntil(): Record<string, string> | undefined {
  const last = workflowInfo().lastResult as ScheduledIngestionResult | undefined;
  if (!last || typeof last !== 'object') return undefined;
  return last.outcome === 'completed' ? last.summary?.historyReadUntil : last.historyReadUntil;
}

/**
 * The action of a hexmeta schedule. Temporal suffixes scheduled workflow ids with a timestamp, so the
 * ingestion itself runs as a child under the service's fixed id: one ingestion per service, however started.
 */
export async function scheduledHexIngestion(input: ScheduledIngestionInput): Promise<ScheduledIngestionResult> {
  const ingestionWorkflowId = fixedIdFor(input.serviceName);
  const historyReadUntil = previousHistoryReadUntil();
  try {
    const summary = await runUnderServiceId(ingestionWorkflowId, { source: input.source, historyReadUntil });
    return { outcome: 'completed', ingestionWorkflowId, summary };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'alreadyRunning', ingestionWorkflowId, historyReadUntil };
    throw error;
  }
}
