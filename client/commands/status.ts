import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { progressQuery, type IngestionSummary } from '../../workflows/messages';
import { rootMessage, workflowIdFor } from '../ingest';
import { EXIT_OK, EXIT_SETUP_FAILED, formatWarnings, progressLine } from '../summary';
import type { ConnectionFlags } from '../connection';
import { connectRemoteTemporal } from './schedule';
import { TRIGGER_ATTRIBUTE, type Trigger } from '../visibility';

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

export function formatRuns(runs: IngestionRun[]): string {
  if (!runs.length) return 'No ingestion runs found.';
  return runs.map((run) => {
    const head = `${run.serviceName}  ${run.status}  started ${run.startedAt}${run.closedAt ? `  closed ${run.closedAt}` : ''}`
      + `${run.trigger ? `  via ${run.trigger}` : ''}${run.startedBy ? `  (by ${run.startedBy})` : ''}`;
    const detail = run.summary ? `    ${progressLine(run.summary)}` : run.error ? `    error: ${run.error}` : null;
    return detail ? `${head}\n${detail}` : head;
  }).join('\n');
}

export interface StatusCommandOptions extends ConnectionFlags {
  service?: string;
  trigger?: string;
  recent?: string;
  json?: boolean;
  /** Every warning of the service's latest run (from its result, or its progress while it runs). */
  warnings?: boolean;
}

/** `hexmeta status --service S --warnings`: the latest run's warnings, one a line (or as JSON). */
async function printWarnings(client: Client, serviceName: string, json: boolean): Promise<number> {
  const [latest] = await listIngestionRuns(client, { serviceName, recent: 1 });
  if (!latest) {
    console.error(`No ingestion run of service ${serviceName} found.`);
    return EXIT_SETUP_FAILED;
  }
  if (!latest.summary) {
    console.error(`The latest run of service ${serviceName} (${latest.status}) has no summary to read${latest.error ? `: ${latest.error}` : ''}`);
    return EXIT_SETUP_FAILED;
  }
  const { warnings, warningsTotal } = latest.summary;
  console.log(json ? JSON.stringify({ runId: latest.runId, status: latest.status, warningsTotal, warnings }, null, 2) : formatWarnings(latest.summary));
  return EXIT_OK;
}

/** `hexmeta status`: what runs now and what ran lately. */
export async function statusCommand(options: StatusCommandOptions): Promise<number> {
  const recent = options.recent === undefined ? 10 : Number(options.recent);
  if (!Number.isInteger(recent) || recent < 0) {
    console.error(`--recent: "${options.recent}" is not a whole number`);
    return EXIT_SETUP_FAILED;
  }
  if (options.trigger !== undefined && !['cli', 'schedule', 'ui', 'api'].includes(options.trigger)) {
    console.error(`--trigger: "${options.trigger}" is not one of cli, schedule, ui, api`);
    return EXIT_SETUP_FAILED;
  }
  if (options.warnings && !options.service) {
    console.error('--warnings: name the service with --service');
    return EXIT_SETUP_FAILED;
  }
  const temporal = await connectRemoteTemporal(options);
  if (!temporal) return EXIT_SETUP_FAILED;
  try {
    if (options.warnings) return await printWarnings(temporal.client, options.service!, options.json ?? false);
    const runs = await listIngestionRuns(temporal.client, { serviceName: options.service, trigger: options.trigger as Trigger | undefined, recent });
    console.log(options.json ? JSON.stringify(runs, null, 2) : formatRuns(runs));
    return EXIT_OK;
  } finally {
    await temporal.close();
  }
}
