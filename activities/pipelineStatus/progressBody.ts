// The live-progress update OpenMetadata 2.0 takes beside a run's status (PUT .../progress/{fqn}/{runId}, a
// ProgressUpdate): the kind of update, the step in hand, a progress tree of the two steps, and run-level counters.
import type { StatusWrite } from './statusBody';

function updateType(w: StatusWrite): string {
  if (w.state === 'running') return 'PROCESSING';
  return w.state === 'failed' || w.state === 'stopped' ? 'ERROR' : 'PIPELINE_COMPLETE';
}

/** One node per step: dashboards (their number known once the listing has ended) and lineage prefixes. */
export function progressUpdateBody(w: StatusWrite): Record<string, unknown> {
  const s = w.snapshot;
  const running = w.state === 'running';
  const listing = running && !s.listingDone;
  const dashboards = { entityType: 'Dashboard', label: 'Hex dashboards', expected: s.listingDone ? s.projectsSeen : null, processed: s.projectsSeen, active: listing };
  const lineage = { entityType: 'LineagePrefix', label: 'Lineage', expected: s.lineage.prefixes, processed: s.lineage.done, active: running && !listing };
  const message = running
    ? `${listing ? 'listing Hex' : 'lineage'}: ${s.projectsSeen} projects, ${s.records} dashboards written, lineage ${s.lineage.done}/${s.lineage.prefixes}`
    : `${w.state}: ${s.records} dashboards written, ${s.failuresTotal} failures${s.reason ? ` (${s.reason})` : ''}`;
  return {
    runId: w.run.runId,
    timestamp: w.at,
    updateType: updateType(w),
    stepName: listing ? 'Hex dashboards' : 'Lineage',
    message,
    progress: { label: '', entityType: 'Step', expected: 2, processed: s.listingDone ? 1 + (s.lineage.done >= s.lineage.prefixes ? 1 : 0) : 0, active: running, children: [dashboards, lineage] },
    globalCounters: [
      { entityType: 'Dashboard', done: s.records, total: s.listingDone ? s.projectsSeen - s.projectsFiltered : null },
      { entityType: 'LineagePrefix', done: s.lineage.done, total: s.lineage.prefixes },
    ],
    totalAssetsIngested: s.records,
    ...(running ? {} : { estimatedSecondsRemaining: 0 }),
  };
}
