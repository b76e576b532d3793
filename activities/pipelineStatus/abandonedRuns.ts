// A run terminated from Temporal (or one that timed out, or failed before its last status write) runs no more
// workflow code, so its OpenMetadata run stays `running`. The next run of the pipeline finds such runs by the
// Temporal ids their status `metadata` recorded and closes them with the state Temporal knows.
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import type { OpenMetadataClient } from '../openmetadata/client';
import type { PipelineState } from './types';

/** How far back earlier runs are looked for. */
export const ABANDONED_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many earlier `running` runs are checked per start. */
const MAX_CHECKED = 20;
/** Continue-as-new hops followed to the run that ended the chain. */
const MAX_HOPS = 50;

export interface ClosedRun {
  runId: string;
  state: PipelineState;
  /** What Temporal says of the run that ended it. */
  temporalStatus: WorkflowExecutionStatusName;
}

type Json = Record<string, any>;

/** Where a status says its Temporal run is; null for statuses hexmeta did not write. */
function temporalRunOf(status: Json): { namespace: string; workflowId: string; runId: string } | null {
  const m = status.metadata;
  if (!m || m.orchestrator !== 'Temporal') return null;
  if (![m.temporalNamespace, m.temporalWorkflowId, m.temporalRunId].every((v) => typeof v === 'string' && v !== '')) return null;
  return { namespace: m.temporalNamespace, workflowId: m.temporalWorkflowId, runId: m.temporalRunId };
}

/** The OpenMetadata state a closed Temporal run ends with; null while it runs (or goes on as a new run). */
export function closedStateOf(status: WorkflowExecutionStatusName, outcome: PipelineState | undefined): PipelineState | null {
  switch (status) {
    case 'TERMINATED':
    case 'CANCELLED':
      return 'stopped';
    case 'FAILED':
    case 'TIMED_OUT':
      return 'failed';
    case 'COMPLETED':
      return outcome ?? 'success';
    default:
      return null;
  }
}

/** The run a continue-as-new chain went on to (the newest of the chain, within MAX_HOPS). */
async function lastOfChain(client: Client, namespace: string, workflowId: string, runId: string) {
  let current = runId;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const described = await client.workflow.getHandle(workflowId, current).describe();
    if (described.status.name !== 'CONTINUED_AS_NEW') return { runId: current, described };
    const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace, execution: { workflowId, runId: current }, maximumPageSize: 1,
    });
    const next = history?.events?.[0]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (!next) return null;
    current = next;
  }
  return null;
}

/**
 * Closes this pipeline's earlier `running` runs whose Temporal run has ended: terminated or cancelled ones
 * `stopped`, failed or timed out ones `failed`, completed ones with the outcome the workflow returned; endDate
 * the close time. Runs of another namespace, of no hexmeta run, or unknown to this server are left as they are.
 * `latest` are the statuses the pipeline entity shows (its latest, or 2.0's list), checked even when older than
 * the lookback.
 */
export async function closeAbandonedRuns(
  openMetadata: OpenMetadataClient, temporal: Client, namespace: string, fqn: string, ownRunId: string, now: number, latest: Json[] = [],
): Promise<ClosedRun[]> {
  const listed = await openMetadata.listPipelineStatuses(fqn, now - ABANDONED_LOOKBACK_MS, now);
  const statuses = [...listed, ...latest.filter((s) => !listed.some((l) => l.runId === s.runId))];
  const candidates = statuses
    .filter((s) => s.pipelineState === 'running' && s.runId !== ownRunId && temporalRunOf(s)?.namespace === namespace)
    .slice(0, MAX_CHECKED);
  const closed: ClosedRun[] = [];
  for (const status of candidates) {
    const where = temporalRunOf(status)!;
    let last;
    try {
      last = await lastOfChain(temporal, namespace, where.workflowId, where.runId);
    } catch {
      continue; // unknown here (another server, or past retention): not ours to close
    }
    if (!last) continue;
    const temporalStatus = last.described.status.name;
    const outcome = temporalStatus === 'COMPLETED'
      ? (await temporal.workflow.getHandle(where.workflowId, last.runId).result().catch(() => null))?.outcome?.state as PipelineState | undefined
      : undefined;
    const state = closedStateOf(temporalStatus, outcome);
    if (!state) continue;
    const endDate = last.described.closeTime?.getTime() ?? now;
    await openMetadata.putPipelineStatus(fqn, {
      ...status,
      pipelineState: state,
      endDate,
      metadata: {
        ...status.metadata,
        temporalRunId: last.runId,
        reason: `closed by a later run: the Temporal run ended ${temporalStatus.toLowerCase().replace('_', ' ')} without reporting its end`,
      },
    });
    closed.push({ runId: status.runId, state, temporalStatus });
  }
  return closed;
}
