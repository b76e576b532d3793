/** The one workflow id an ingestion of a dashboard service runs under, however it was started. */
export function ingestionWorkflowId(serviceName: string): string {
  return `hexmeta-ingestion-${serviceName}`;
}
