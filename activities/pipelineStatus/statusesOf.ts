// A pipeline's `pipelineStatuses` as OpenMetadata returns it: one object on 1.12, a list on 2.0, absent before
// the first run. Read either way, whatever version the server said it was; entries that are no status are dropped.
type Json = Record<string, any>;

export function pipelineStatusesOf(pipeline: { pipelineStatuses?: unknown } | null | undefined): Json[] {
  const raw = pipeline?.pipelineStatuses;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return list.filter((s): s is Json => s !== null && typeof s === 'object' && !Array.isArray(s) && typeof (s as Json).runId === 'string');
}
