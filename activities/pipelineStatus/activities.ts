// The two status activities. Both are best effort: a failure to read, create or write is returned as a reason
// (one warning for the run), never thrown, so OpenMetadata's pipeline status can never fail an ingestion.
import { Context } from '@temporalio/activity';
import { maskSecrets, scrubValue } from '../common/scrubber';
import type { WorkerState } from '../runtime/context';
import { splitFqn } from '../openmetadata/fqn';
import { closeAbandonedRuns } from './abandonedRuns';
import { pipelineRunIdFor } from './runId';
import { pipelineSettingsOf } from './settings';
import type { TemporalLink } from './statusBody';
import type { BeginPipelineRunInput, BeginPipelineRunResult, PipelineRun, ReportStatusInput, ReportStatusResult } from './types';
import { statusWriterFor } from './writer';
import { pipelineStatusesOf } from './statusesOf';
import { pipelineSourceConfig } from './sourceConfig';

export const DEFAULT_STATUS_INTERVAL_MS = 30_000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function temporalLink(env: NodeJS.ProcessEnv): TemporalLink {
  const info = Context.current().info;
  return {
    namespace: info.workflowNamespace ?? info.namespace,
    workflowId: info.workflowExecution?.workflowId ?? '',
    runId: info.workflowExecution?.runId ?? '',
    uiUrl: env.HEXMETA_TEMPORAL_UI_URL || null,
  };
}

/**
 * Finds the pipeline the file names, creating it when absent as OpenMetadata's runner does (named after the
 * FQN's last part, under the run's dashboard service, type metadata, with the run's sourceConfig), and reports
 * the run `running`. Runs right after preparation, so the service exists.
 */
export async function beginPipelineRun(state: WorkerState, env: NodeJS.ProcessEnv, input: BeginPipelineRunInput): Promise<BeginPipelineRunResult> {
  const { config, openMetadata, log } = state.connect(input.source);
  const settings = pipelineSettingsOf(config.file);
  const interval = Number(env.HEXMETA_PIPELINE_STATUS_INTERVAL_MS ?? DEFAULT_STATUS_INTERVAL_MS);
  const result: BeginPipelineRunResult = {
    settings: { successThreshold: settings.successThreshold, raiseOnError: settings.raiseOnError },
    run: null,
    updateIntervalMs: Number.isFinite(interval) && interval >= 0 ? interval : DEFAULT_STATUS_INTERVAL_MS,
    warning: null,
  };
  if (!settings.fqn) return result;
  try {
    let pipeline = await openMetadata.getIngestionPipeline(settings.fqn, 'pipelineStatuses');
    if (!pipeline) {
      const service = await openMetadata.getDashboardService(config.plan.serviceName);
      if (!service) throw new Error(`dashboard service ${config.plan.serviceName} not found`);
      const name = splitFqn(settings.fqn).at(-1)!;
      ({ entity: pipeline } = await openMetadata.putIngestionPipeline({
        name,
        service: { id: service.id, type: 'dashboardService' },
        pipelineType: 'metadata',
        sourceConfig: await pipelineSourceConfig(openMetadata, config.file.source.sourceConfig),
        airflowConfig: {},
      }));
    }
    const run: PipelineRun = { fqn: pipeline.fullyQualifiedName, runId: settings.runId ?? pipelineRunIdFor(input.runKey), startDate: input.startDate };
    const link = temporalLink(env);
    // Earlier runs left `running` by a terminate (no workflow code ran to report it) are closed first.
    try {
      const closed = await closeAbandonedRuns(openMetadata, Context.current().client, link.namespace, run.fqn, run.runId, input.startDate, pipelineStatusesOf(pipeline));
      for (const c of closed) log.info('earlier OpenMetadata run closed', { pipeline: run.fqn, runId: c.runId, state: c.state, temporal: c.temporalStatus });
    } catch (error) {
      log.warn('earlier OpenMetadata runs not checked', { pipeline: run.fqn, reason: maskSecrets(messageOf(error), config.secrets) });
    }
    const snapshot = {
      projectsSeen: 0, projectsFiltered: 0, records: 0, updatedRecords: 0, warningsTotal: 0, failuresTotal: 0, failures: [], listingDone: false,
      lineage: { prefixes: config.plan.dbServicePrefixes.length, done: 0, records: 0, warnings: 0, filtered: 0 },
    };
    const written = await statusWriterFor(input.behaviour).write(openMetadata, { run, state: 'running', snapshot, at: input.startDate, link });
    if (written.progressFailure) result.progressFailure = maskSecrets(written.progressFailure, config.secrets);
    result.run = run;
  } catch (error) {
    result.warning = { item: settings.fqn, reason: `OpenMetadata pipeline status not reported: ${maskSecrets(messageOf(error), config.secrets)}` };
  }
  return result;
}

/** One status write; failures and reasons scrubbed of every secret first. */
export async function reportPipelineStatus(state: WorkerState, env: NodeJS.ProcessEnv, input: ReportStatusInput): Promise<ReportStatusResult> {
  let secrets: string[] = [];
  try {
    const { config, openMetadata } = state.connect(input.source);
    secrets = config.secrets;
    const scrubbed = (text: string) => maskSecrets(scrubValue(text), secrets);
    const snapshot = {
      ...input.snapshot,
      failures: input.snapshot.failures.map((f) => ({ item: scrubbed(f.item), reason: scrubbed(f.reason) })),
      ...(input.snapshot.reason ? { reason: scrubbed(input.snapshot.reason) } : {}),
    };
    const written = await statusWriterFor(input.behaviour).write(openMetadata, { run: input.run, state: input.state, snapshot, at: input.at, link: temporalLink(env) });
    return { written: true, ...(written.progressFailure ? { progressFailure: maskSecrets(written.progressFailure, secrets) } : {}) };
  } catch (error) {
    return { written: false, reason: maskSecrets(messageOf(error), secrets) };
  }
}
