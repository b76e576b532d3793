import { processLog } from '../../activities/common/log';
import { ConfigError } from '../../activities/config/errors';
import { createHexWorker } from '../../worker/createWorker';
import { withReaping } from '../../worker/reapDeadWorkers';
import { setUpTelemetry, telemetrySettings, TelemetryOptionError, type TelemetryFlags } from '../../worker/telemetry';
import type { IngestionSummary } from '../../workflows/messages';
import { isSetupFailure, prepareSource, rootMessage, startIngestion, type PreparedSource } from '../core';
import { lastCompletedProjects, pollEvery, readProgress } from '../progressPolling';
import { lineageSoFar, MonotonicCounts, ProgressRate, withInFlight } from '../progressView';
import { LiveLine } from '../liveLine';
import { watchInterrupts } from '../interrupts';
import { EXIT_INTERRUPTED, EXIT_ITEM_FAILURES, EXIT_SETUP_FAILED, exitCodeOf, formatSummary, progressLine } from '../summary';
import { claimService, ServiceBusyError, type ServiceClaim } from '../serviceLock';
import {
  connectionFlags, ConnectionSettingsError, resolveConnectionSettings, TemporalConnectionError, type ConnectionFlags,
} from '../connection';
import { connectTemporal } from '../temporal';
import { TemporalCliMissingError } from '../temporalCli';

export interface IngestCommandOptions extends TelemetryFlags, ConnectionFlags {
  config: string;
  taskQueue?: string;
  json?: boolean;
  fullHistory?: boolean;
  ui?: boolean;
}

/** Without a TTY, a plain progress line this often. */
const PLAIN_PROGRESS_MS = 30_000;
/** A first Ctrl-C gives the worker this long to hand its activities back; then hexmeta exits regardless. */
const INTERRUPT_GRACE_MS = 4_500;

function reportInterrupted(workflowId: string): number {
  // The workflow lives on in Temporal (and in .hexmeta/ when embedded): the same command resumes it.
  processLog().warn(`Interrupted. Workflow ${workflowId} keeps its progress; run the same command again to resume.`);
  return EXIT_INTERRUPTED;
}

/** `hexmeta ingest -c hex.yaml`: runs one ingestion to the end and returns the exit code. */
export async function ingestCommand(options: IngestCommandOptions): Promise<number> {
  let log;
  try {
    // Format and level from the flags first, so that even a configuration error is written as asked.
    log = setUpTelemetry({ ...telemetrySettings(options, process.env), metricsAddress: null }, { runsWorker: false });
  } catch (error) {
    if (!(error instanceof TelemetryOptionError)) throw error;
    console.error(error.message);
    return EXIT_SETUP_FAILED;
  }
  let settings;
  try {
    settings = resolveConnectionSettings(connectionFlags(options));
  } catch (error) {
    if (!(error instanceof ConnectionSettingsError)) throw error;
    log.error(error.message);
    return EXIT_SETUP_FAILED;
  }
  // Without a server named anywhere, this process runs an embedded one and its worker.
  const remote = settings.address !== null;
  let prepared: PreparedSource;
  try {
    // Read once: the run starts from what was validated here (the worker reads the file again, as it must).
    prepared = prepareSource({ source: options.config, checkSecrets: !remote });
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);
      return EXIT_SETUP_FAILED;
    }
    throw error;
  }
  // The embedded worker logs at the file's level unless --log-level or HEXMETA_LOG_LEVEL says otherwise.
  // Log lines go above the live progress line, never through it.
  const live = new LiveLine(process.stderr);
  log = setUpTelemetry(telemetrySettings(options, process.env, prepared.plan.loggerLevel), { runsWorker: !remote, write: (line) => live.writeLog(line) });

  let target;
  try {
    target = await connectTemporal({ ui: options.ui, say: (line) => log.info(line), settings });
  } catch (error) {
    const known = error instanceof TemporalCliMissingError || error instanceof TemporalConnectionError;
    log.error(known ? error.message : `Cannot reach Temporal: ${(error as Error).message}`);
    return EXIT_SETUP_FAILED;
  }
  let claim: ServiceClaim | undefined;
  if (target.embedded) {
    try {
      claim = await claimService({ openMetadata: prepared.config.openMetadataHostPort, serviceName: prepared.serviceName, stateDir: target.embedded.stateDir });
    } catch (error) {
      await target.close();
      if (!(error instanceof ServiceBusyError)) throw error;
      log.error(error.message);
      return EXIT_SETUP_FAILED;
    }
  }
  const taskQueue = settings.taskQueue;
  const uiUrl = target.embedded?.uiUrl ?? null;
  if (uiUrl) log.info(`Temporal Web UI: ${uiUrl} (up while this run lasts)`);
  // Stopped (its poll in flight awaited) before the connection closes: a query on a closed channel would throw.
  let polling: ReturnType<typeof pollEvery> | undefined;
  const queries = new AbortController();
  let workflowId = '';
  const interrupts = watchInterrupts({
    graceMs: INTERRUPT_GRACE_MS,
    onFirst: () => {
      live.clear();
      log.warn('Ctrl-C: stopping the worker; the run keeps what it finished (Ctrl-C again to quit at once)');
      // The wait for the result ends here; an embedded worker then drains (see createHexWorker's shutdown times).
      queries.abort();
    },
    onForced: (reason) => {
      live.clear();
      log.warn(`${reason === 'again' ? 'Second Ctrl-C' : 'The worker did not stop in time'}: quitting now. Workflow ${workflowId || '(not started)'} keeps its progress; run the same command again to resume.`);
    },
  });
  try {
    const worker = target.embedded
      ? await createHexWorker({ connection: target.embedded.nativeConnection, namespace: target.namespace, taskQueue, temporalUiUrl: target.embedded.uiUrl })
      : null;
    const started = await startIngestion({ client: target.client, source: prepared.source, prepared, taskQueue, fullHistory: options.fullHistory, trigger: 'cli' });
    const handle = started.workflow;
    workflowId = handle.workflowId;
    log.info(`Ingestion workflow ${handle.workflowId} (task queue ${taskQueue}${target.embedded ? `, embedded Temporal at ${target.embedded.address}` : ''})`);
    if (uiUrl) log.info(`Follow it in the Web UI: ${uiUrl}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(handle.workflowId)}`);
    const tty = live.tty;
    const run = <R>(signal: AbortSignal, fn: () => Promise<R>) => target.client.withAbortSignal(signal, fn);
    const rate = new ProgressRate(await lastCompletedProjects(target.client, handle.workflowId));
    const monotonic = new MonotonicCounts();
    polling = pollEvery(tty ? 500 : PLAIN_PROGRESS_MS, (signal) => readProgress(handle, signal, run), (progress) => {
      if (!progress || interrupts.interrupted) return;
      const s = monotonic.apply(withInFlight(progress.summary, progress.inFlight));
      rate.add(s.projectsSeen);
      const line = progressLine(s, progress.hexRetryAfterUntil, {
        lineage: lineageSoFar(progress.summary, progress.inFlight), projectsPerSecond: rate.perSecond(), secondsLeft: rate.secondsLeft(),
      });
      if (tty) live.show(line);
      else log.info(line);
    });
    // Under the same abort signal: a long poll still retrying on a closed channel would throw.
    const result = target.client.withAbortSignal(queries.signal, () => handle.result());
    result.catch(() => undefined);
    let summary: IngestionSummary;
    try {
      // The embedded worker also retries at once what a killed earlier run of this folder left started.
      summary = worker ? await withReaping({ client: target.client, taskQueue, log }, () => worker.runUntil(result)) : await result;
    } catch (error) {
      live.clear();
      if (interrupts.interrupted) return reportInterrupted(handle.workflowId);
      log.error(`Ingestion failed: ${rootMessage(error)}`);
      return isSetupFailure(error) ? EXIT_SETUP_FAILED : EXIT_ITEM_FAILURES;
    }
    live.clear();
    // A worker stopped by a signal may end its run without the workflow's result.
    if (interrupts.interrupted && !summary) return reportInterrupted(handle.workflowId);
    console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    return exitCodeOf(summary);
  } finally {
    queries.abort();
    await polling?.stop();
    live.clear();
    claim?.release();
    await target.close();
    interrupts.dispose();
  }
}
