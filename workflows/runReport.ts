// Reports a run to OpenMetadata's ingestion pipeline status from the workflow: `running` at the start, updates
// after page batches (at most one per interval, in workflow time), and the end state. Every write is best effort:
// the first one that fails adds one warning to the summary; none fails the run.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PipelineRun, PipelineState, StatusSnapshot } from '../activities/pipelineStatus/types';
import type { ConfigSource } from '../activities/config/types';
import type { BehaviourName } from '../activities/openmetadata/serverBehaviour';
import type { IngestionSummary, RunReportState } from './messages';
import { dashboardRecords, DEFAULT_OUTCOME_SETTINGS, type OutcomeSettings } from './runOutcome';

const FAILURE_SAMPLE = 20;

// Short and few: a status write that cannot get through is given up, not retried for minutes.
const status = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3 },
});

export function snapshotOf(s: IngestionSummary, prefixes: number, listingDone: boolean, reason?: string): StatusSnapshot {
  const { records, updatedRecords } = dashboardRecords(s);
  const lineageWarnings = s.lineage.reduce((n, l) => n + (l.warnings?.length ?? 0), 0);
  const failures = [...(reason ? [{ item: 'run', reason }] : []), ...s.failures].slice(0, FAILURE_SAMPLE);
  return {
    projectsSeen: s.projectsSeen, projectsFiltered: s.projectsFiltered, records, updatedRecords,
    warningsTotal: s.warningsTotal, failuresTotal: s.failuresTotal + (reason ? 1 : 0), failures, listingDone,
    lineage: {
      prefixes,
      done: s.lineage.length,
      records: s.lineage.reduce((n, l) => n + (l.counts ? l.counts.edgesWritten + (l.counts.edgesExisting ?? 0) : 0), 0) + (s.cellEdgesWritten ?? 0),
      warnings: lineageWarnings,
      filtered: s.lineage.reduce((n, l) => n + (l.counts ? l.counts.tablesOutsidePrefix + l.counts.projectsUnknown : 0), 0),
    },
    ...(reason ? { reason } : {}),
  };
}

/** The release line the run's calls follow, as prepare chose it (absent in runs begun before: 1.12's form). */
function behaviourOf(summary: IngestionSummary): { behaviour?: BehaviourName } {
  return summary.openMetadataBehaviour ? { behaviour: summary.openMetadataBehaviour } : {};
}

export class RunReport {
  constructor(
    private readonly source: ConfigSource,
    private readonly summary: IngestionSummary,
    readonly state: RunReportState,
  ) {}

  /** Reads (or creates) the pipeline and reports `running`; also learns the file's threshold settings. */
  static async begin(source: ConfigSource, summary: IngestionSummary, runKey: string): Promise<RunReport> {
    const startDate = Date.now();
    let state: RunReportState = { run: null, settings: DEFAULT_OUTCOME_SETTINGS, updateIntervalMs: 30_000, lastWriteAt: startDate, warned: false };
    try {
      const begun = await status.beginPipelineRun({ source, runKey, startDate, ...behaviourOf(summary) });
      state = { ...state, run: begun.run, settings: begun.settings, updateIntervalMs: begun.updateIntervalMs };
      if (begun.warning) RunReport.warn(summary, state, begun.warning.item, begun.warning.reason);
      if (begun.progressFailure) RunReport.progressWarn(summary, state, begun.progressFailure);
    } catch (error) {
      RunReport.warn(summary, state, 'ingestionPipelineFQN', `OpenMetadata pipeline status not reported: ${(error as Error)?.message ?? error}`);
    }
    return new RunReport(source, summary, state);
  }

  /** Live progress is extra: its failures are said once per run, apart from the status's own warning. */
  private static progressWarn(summary: IngestionSummary, state: RunReportState, reason: string): void {
    if (state.progressWarned || !state.run) return;
    state.progressWarned = true;
    summary.warningsTotal++;
    if (summary.warnings.length < 100) summary.warnings.push({ item: state.run.fqn, reason: `OpenMetadata live progress not taken (statuses still written): ${reason}` });
  }

  private static warn(summary: IngestionSummary, state: RunReportState, item: string, reason: string): void {
    if (state.warned) return;
    state.warned = true;
    summary.warningsTotal++;
    if (summary.warnings.length < 100) summary.warnings.push({ item, reason });
  }

  /** A `running` update, unless the last write was less than the interval ago. */
  async progress(prefixes: number, listingDone: boolean): Promise<void> {
    if (!this.state.run || Date.now() - this.state.lastWriteAt < this.state.updateIntervalMs) return;
    await this.write('running', snapshotOf(this.summary, prefixes, listingDone));
  }

  async finish(state: Exclude<PipelineState, 'running'>, prefixes: number, reason?: string): Promise<void> {
    if (!this.state.run) return;
    await this.write(state, snapshotOf(this.summary, prefixes, state !== 'stopped' && state !== 'failed', reason));
  }

  private async write(state: PipelineState, snapshot: StatusSnapshot): Promise<void> {
    const at = Date.now();
    this.state.lastWriteAt = at;
    try {
      const result = await status.reportPipelineStatus({ source: this.source, run: this.state.run!, state, snapshot, at, ...behaviourOf(this.summary) });
      if (result.progressFailure) RunReport.progressWarn(this.summary, this.state, result.progressFailure);
      if (!result.written) RunReport.warn(this.summary, this.state, this.state.run!.fqn, `OpenMetadata pipeline status not written: ${result.reason}`);
    } catch (error) {
      RunReport.warn(this.summary, this.state, this.state.run!.fqn, `OpenMetadata pipeline status not written: ${(error as Error)?.message ?? error}`);
    }
  }
}
