import { executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { ConfigSource } from '../activities/config/types';
import { hexIngestion } from './hexIngestion';
import { ingestionWorkflowId as fixedIdFor } from './ids';
import type { IngestionSummary } from './messages';

/** What a schedule starts: where the worker reads the configuration, and the service it names (no secrets). */
export interface ScheduledIngestionInput {
  source: ConfigSource;
  serviceName: string;
}

export type ScheduledIngestionResult =
  | { outcome: 'completed'; ingestionWorkflowId: string; summary: IngestionSummary }
  /** Another ingestion of the service (CLI, API or UI) was running: this scheduled run did not start one. */
  | { outcome: 'alreadyRunning'; ingestionWorkflowId: string };

/**
 * The action of a hexmeta schedule. Temporal suffixes scheduled workflow ids with a timestamp, so the
 * ingestion itself runs as a child under the service's fixed id: one ingestion per service, however started.
 */
export async function scheduledHexIngestion(input: ScheduledIngestionInput): Promise<ScheduledIngestionResult> {
  const ingestionWorkflowId = fixedIdFor(input.serviceName);
  try {
    const summary = await executeChild(hexIngestion, {
      workflowId: ingestionWorkflowId,
      args: [{ source: input.source }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      // The ingestion is durable on its own: ending this thin parent must not stop it halfway.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { outcome: 'completed', ingestionWorkflowId, summary };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'alreadyRunning', ingestionWorkflowId };
    throw error;
  }
}
