/** The one workflow id an ingestion of a dashboard service runs under, however it was started. */
export function ingestionWorkflowId(serviceName: string): string {
  return `hexmeta-ingestion-${serviceName}`;
}

/**
 * A workflow task of this workflow takes milliseconds; when its worker dies mid-task, another worker picks the
 * task up after this long instead of the server's default 10 s.
 */
export const WORKFLOW_TASK_TIMEOUT = '5 seconds';
