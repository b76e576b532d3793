import { executeChild, ParentClosePolicy } from '@temporalio/workflow';
// The SDK's shared policy type (bundled with workflow code like @temporalio/workflow itself).
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { WORKFLOW_TASK_TIMEOUT } from './ids';
import type { IngestionInput, IngestionSummary } from './messages';

/**
 * Runs the ingestion as a child under the service's fixed id (one ingestion per service, however started:
 * a schedule, or the Web UI under another id). Rejects with WorkflowExecutionAlreadyStartedError when one
 * already runs under that id.
 */
export function runUnderServiceId(
  fixedId: string,
  args: Pick<IngestionInput, 'source' | 'historyReadUntil'>,
  shown: { staticSummary?: string; staticDetails?: string } = {},
): Promise<IngestionSummary> {
  return executeChild<(input: IngestionInput) => Promise<IngestionSummary>>('hexIngestion', {
    workflowId: fixedId,
    ...shown,
    args: [{ source: args.source, historyReadUntil: args.historyReadUntil }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
    // The ingestion is durable on its own: ending the thin parent must not stop it halfway.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}
