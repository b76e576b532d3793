import type { IngestionSummary } from '../workflows/messages';
import { formatDuration } from './progressView';

export const EXIT_OK = 0;
export const EXIT_ITEM_FAILURES = 1;
export const EXIT_SETUP_FAILED = 2;
/** Stopped by SIGINT/SIGTERM; the run itself goes on or resumes. */
export const EXIT_INTERRUPTED = 130;

/** Item failures exit 1, unless the file says `workflowConfig.raiseOnError: false` (then 0, as OpenMetadata's CLI). */
export function exitCodeOf(summary: IngestionSummary): number {
  if (summary.failuresTotal === 0) return EXIT_OK;
  return summary.outcome?.raiseOnError === false ? EXIT_OK : EXIT_ITEM_FAILURES;
}

/** What the live line adds when known: lineage so far, the listing's pace and the time it has left. */
export interface ProgressExtras {
  lineage?: { queriesRead: number; edgesWritten: number } | null;
  projectsPerSecond?: number | null;
  secondsLeft?: number | null;
}

/** One line of progress; `hexRetryAfterUntil`: a page attempt waits out Hex's Retry-After until then. */
export function progressLine(s: IngestionSummary, hexRetryAfterUntil: Date | null = null, extras: ProgressExtras = {}): string {
  let line = `[${s.phase}] pages ${s.pagesRead} · projects ${s.projectsSeen} (filtered ${s.projectsFiltered}) · dashboards `
    + `+${s.dashboardsCreated} ~${s.dashboardsUpdated} =${s.dashboardsUnchanged}`;
  if (extras.lineage) line += ` · lineage ${extras.lineage.queriesRead} queries, ${extras.lineage.edgesWritten} edges`;
  line += ` · failures ${s.failuresTotal}`;
  if (extras.projectsPerSecond != null && s.phase === 'dashboards') line += ` · ${extras.projectsPerSecond.toFixed(1)} projects/s`;
  if (extras.secondsLeft != null && s.phase === 'dashboards') line += ` · ETA ${formatDuration(extras.secondsLeft)}`;
  return hexRetryAfterUntil ? `${line} · waiting on Hex's Retry-After until ${hexRetryAfterUntil.toTimeString().slice(0, 8)}` : line;
}

/** Human summary in the spirit of OpenMetadata's end-of-run output. */
export function formatSummary(s: IngestionSummary): string {
  const lines = [
    `Hex ingestion of service ${s.serviceName ?? '?'}: ${s.phase}`,
    ...(s.openMetadataVersion ? [`  OpenMetadata:         ${s.openMetadataVersion} (${s.openMetadataBehaviour ?? '1.12'} behaviour)`] : []),
    `  Projects seen:        ${s.projectsSeen} (${s.pagesRead} pages, ${s.runs} workflow run(s))`,
    `  Filtered:             ${s.projectsFiltered}`,
    `  Dashboards created:   ${s.dashboardsCreated}`,
    `  Dashboards updated:   ${s.dashboardsUpdated}`,
    `  Dashboards unchanged: ${s.dashboardsUnchanged}`,
    `  Marked deleted:       ${s.listingStoppedEarly ? 'not checked (incremental listing stopped at unchanged projects)' : s.dashboardsMarkedDeleted}`,
    ...(s.chartsMarkedDeleted !== undefined ? [`  Charts marked deleted: ${s.chartsMarkedDeleted}`] : []),
    `  Tags attached:        ${s.tagsAttached}`,
    `  Owners resolved:      ${s.ownersResolved} (unresolved ${s.ownersUnresolved})`,
    `  Charts written:       ${s.chartsWritten ?? 0} (${s.componentsSeen ?? 0} components seen, ${s.cellsRead ?? 0} cells read)`,
    `  Usage reported:       ${s.usageReported ?? 0} dashboards`,
    `  Warnings:             ${s.warningsTotal}`,
    `  Failures:             ${s.failuresTotal}`,
    ...(s.outcome ? [`  End state:            ${s.outcome.state} (success rate ${s.outcome.successRate}%, threshold ${s.outcome.successThreshold}%)`] : []),
  ];
  for (const l of s.lineage) {
    lines.push(l.counts
      ? `  Lineage ${l.prefix} (${l.dialect}): ${l.counts.queriesRead} queries read, ${l.counts.hexQueries} from Hex, `
        + `${l.counts.tablesResolved} tables resolved, ${l.counts.tablesUnresolved} unresolved${l.ambiguous?.length ? ` (${l.ambiguous.length} ambiguous)` : ''}, `
        + `${l.counts.edgesWritten} edges written, ${l.counts.edgesExisting ?? 0} already there`
      : `  Lineage ${l.prefix}: not read (${l.warnings[0]?.reason ?? 'failed'})`);
    // Names several tables fit get no edge; the candidates tell the user which qualification is missing.
    for (const a of l.ambiguous ?? []) {
      lines.push(`    ambiguous: ${a.table}${a.database ? ` (database ${a.database})` : ''} could be ${a.candidates.join(' or ')}`);
    }
  }
  if (s.sqlCells) {
    lines.push(`  Lineage from SQL cells: ${s.sqlCells} cells, ${s.cellTablesResolved} tables resolved, `
      + `${s.cellTablesUnresolved} unresolved, ${s.cellEdgesWritten} edges written`);
  }
  if (s.failures.length) {
    lines.push(s.failuresTotal > s.failures.length ? `First ${s.failures.length} failures:` : 'Failures:');
    for (const f of s.failures) lines.push(`  - ${f.item}: ${f.reason}`);
  }
  lines.push(...warningLines(s));
  return lines.join('\n');
}

/** Warnings the summary lists itself; the rest are in `--json` and `hexmeta status --warnings`. */
export const SUMMARY_WARNINGS = 20;

function warningLines(s: IngestionSummary): string[] {
  const warnings = s.warnings ?? [];
  if (!warnings.length) return [];
  const shown = warnings.slice(0, SUMMARY_WARNINGS);
  const lines = [s.warningsTotal > shown.length ? `First ${shown.length} of ${s.warningsTotal} warnings:` : 'Warnings:'];
  for (const w of shown) lines.push(`  - ${w.item}: ${w.reason}`);
  if (s.warningsTotal > shown.length) {
    lines.push(`  All of them: run again with --json, or \`hexmeta status --service ${s.serviceName ?? '<service>'} --warnings\` (the run keeps the first ${warnings.length}).`);
  }
  return lines;
}

/** Every warning a run kept, one a line, and how many it did not keep. */
export function formatWarnings(s: IngestionSummary): string {
  const warnings = s.warnings ?? [];
  const lines = warnings.map((w) => `${w.item}: ${w.reason}`);
  if (s.warningsTotal > warnings.length) lines.push(`(${s.warningsTotal - warnings.length} more warnings were counted but not kept: a run keeps the first ${warnings.length})`);
  return lines.length ? lines.join('\n') : 'No warnings.';
}
