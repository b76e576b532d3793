import type { Client } from '@temporalio/client';
import { listIngestionRuns, type IngestionRun } from '../core';
import { EXIT_OK, EXIT_SETUP_FAILED, formatWarnings, progressLine } from '../summary';
import type { ConnectionFlags } from '../connection';
import { connectRemoteTemporal } from './schedule';
import type { Trigger } from '../visibility';

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
