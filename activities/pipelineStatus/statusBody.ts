// The run status body OpenMetadata 1.12 takes (`pipelineStatus` of ingestionPipeline.json, steps of status.json).
import type { PipelineRun, PipelineState, StatusSnapshot } from './types';

export const FAILURE_SAMPLE = 20;

export interface TemporalLink {
  namespace: string;
  workflowId: string;
  runId: string;
  /** The Web UI's base URL, when the worker knows it. */
  uiUrl: string | null;
}

function progressEntry(total: number | null, processed: number): Record<string, number> {
  return total === null ? { processed } : { total, processed, ...(processed >= total ? { estimatedRemainingSeconds: 0 } : {}) };
}

/** Two steps: the Hex listing (dashboards and charts) and lineage; failures are a bounded sample. */
export function stepSummaries(s: StatusSnapshot): Record<string, unknown>[] {
  return [
    {
      name: 'Hex dashboards',
      records: s.records,
      updated_records: s.updatedRecords,
      warnings: Math.max(0, s.warningsTotal - s.lineage.warnings),
      errors: s.failuresTotal,
      filtered: s.projectsFiltered,
      failures: s.failures.slice(0, FAILURE_SAMPLE).map((f) => ({ name: f.item, error: f.reason })),
      progress: { dashboards: progressEntry(s.listingDone ? s.projectsSeen : null, s.projectsSeen) },
    },
    {
      name: 'Lineage',
      records: s.lineage.records,
      updated_records: 0,
      warnings: s.lineage.warnings,
      errors: 0,
      filtered: s.lineage.filtered,
      failures: [],
      progress: { lineage: progressEntry(s.lineage.prefixes, s.lineage.done) },
    },
  ];
}

export function temporalMetadata(link: TemporalLink): Record<string, string> {
  const ui = link.uiUrl
    ? `${link.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(link.namespace)}/workflows/${encodeURIComponent(link.workflowId)}/${encodeURIComponent(link.runId)}/history`
    : null;
  return {
    orchestrator: 'Temporal',
    temporalNamespace: link.namespace,
    temporalWorkflowId: link.workflowId,
    temporalRunId: link.runId,
    ...(ui ? { temporalWebUi: ui } : {}),
  };
}

export interface StatusWrite {
  run: PipelineRun;
  state: PipelineState;
  snapshot: StatusSnapshot;
  at: number;
  link: TemporalLink;
}

/** The 1.12 body: one object per run, replaced by each PUT with its runId. */
export function pipelineStatusBody(w: StatusWrite): Record<string, unknown> {
  const final = w.state !== 'running';
  return {
    runId: w.run.runId,
    pipelineState: w.state,
    startDate: w.run.startDate,
    timestamp: w.run.startDate,
    ...(final ? { endDate: w.at } : {}),
    status: stepSummaries(w.snapshot),
    metadata: { ...temporalMetadata(w.link), ...(w.snapshot.reason ? { reason: w.snapshot.reason } : {}) },
  };
}
