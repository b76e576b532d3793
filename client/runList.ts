// The runs of hexmeta's ingestions as Temporal lists them, with each one's progress or summary; part of the
// client's core (./core exports it).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { ingestionWorkflowId as workflowIdFor } from '../workflows/ids';
import { progressQuery, type IngestionSummary } from '../workflows/messages';
import { rootMessage } from '../workflows/summary';
import { TRIGGER_ATTRIBUTE, type Trigger } from './visibility';

const INGESTION_PREFIX = 'hexmeta-ingestion-';
const QUERY_DEADLINE_MS = 10_000;

export interface IngestionRun {
  serviceName: string;
  workflowId: string;
  runId: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, CANCELLED, TIMED_OUT. */
  status: string;
  startedAt: string;
  closedAt: string | null;
  /** The HexmetaTrigger search attribute (cli, schedule, ui, api); null on runs without it. */
  trigger: string | null;
  /** Set when a schedule's run started it (the parent is the scheduled workflow). */
  startedBy: string | null;
  /** The `progress` query while running, the result once completed; null when neither could be read. */
  summary: IngestionSummary | null;
  error: string | null;
}

export interface ListRunsOptions {
  serviceName?: string;
  /** Only runs started this way (the HexmetaTrigger search attribute). */
  trigger?: Trigger;
  /** Closed runs to keep (the newest), in addition to every running one. */
  recent?: number;
}

function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

async function summaryOf(client: Client, info: WorkflowExecutionInfo): Promise<Pick<IngestionRun, 'summary' | 'error'>> {
  const handle = client.workflow.getHandle(info.workflowId, info.runId);
  try {
    if (info.status.name === 'RUNNING') {
      // Answered by a worker: without one polling, give up rather than hang the listing.
      const summary = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(progressQuery));
      return { summary, error: null };
    }
    if (info.status.name === 'COMPLETED') return { summary: await handle.result() as IngestionSummary, error: null };
    if (info.status.name === 'FAILED') await handle.result(); // throws the run's failure
    return { summary: null, error: null };
  } catch (error) {
    return { summary: null, error: rootMessage(error) };
  }
}

/** Running and recent ingestion runs, newest first; a continue-as-new chain shows as its latest run. */
export async function listIngestionRuns(client: Client, options: ListRunsOptions = {}): Promise<IngestionRun[]> {
  const byId = options.serviceName ? `WorkflowId = ${quoted(workflowIdFor(options.serviceName))}` : `WorkflowType = 'hexIngestion'`;
  // The search attributes find a service's runs however they were started; a namespace without them is
  // searched by workflow id (and cannot filter by trigger).
  const filters = [
    options.serviceName ? `(HexmetaService = ${quoted(options.serviceName)} OR ${byId})` : byId,
    ...(options.trigger ? [`HexmetaTrigger = ${quoted(options.trigger)}`] : []),
  ];
  const collect = async (query: string) => {
    const found: WorkflowExecutionInfo[] = [];
    for await (const info of client.workflow.list({ query })) {
      if (info.type !== 'hexIngestion' || info.status.name === 'CONTINUED_AS_NEW') continue;
      found.push(info);
    }
    return found;
  };
  let infos: WorkflowExecutionInfo[];
  try {
    infos = await collect(filters.join(' AND '));
  } catch (error) {
    if (options.trigger || !/Hexmeta/.test(String((error as Error)?.message))) throw error;
    infos = await collect(byId);
  }
  infos.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
  const recent = options.recent ?? 10;
  const running = infos.filter((i) => i.status.name === 'RUNNING');
  const kept = [...running, ...infos.filter((i) => i.status.name !== 'RUNNING').slice(0, recent)];
  return Promise.all(kept.map(async (info) => ({
    serviceName: info.workflowId.startsWith(INGESTION_PREFIX) ? info.workflowId.slice(INGESTION_PREFIX.length) : info.workflowId,
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
    trigger: info.typedSearchAttributes?.get(TRIGGER_ATTRIBUTE) ?? null,
    startedBy: info.parentExecution?.workflowId ?? null,
    ...await summaryOf(client, info),
  })));
}
