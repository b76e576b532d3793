import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inFlightOf, lineageSoFar, MonotonicCounts, ProgressRate, withInFlight } from '../../client/progressView';
import { LiveLine } from '../../client/liveLine';
import { formatSummary, formatWarnings, progressLine } from '../../client/summary';

const base = {
  serviceName: 'hex_prod', phase: 'dashboards', pagesRead: 10, runs: 1, projectsSeen: 1000, projectsFiltered: 0, dashboardsCreated: 1000,
  dashboardsUpdated: 0, dashboardsUnchanged: 0, failuresTotal: 0, failures: [], lineage: [], warningsTotal: 0, warnings: [],
} as never as Parameters<typeof formatSummary>[0];

test('the summary lists the first 20 warnings and says where the rest are', () => {
  const warnings = Array.from({ length: 100 }, (_, i) => ({ item: `project ${i}`, reason: `reason ${i}` }));
  const text = formatSummary({ ...base, warnings, warningsTotal: 130 });
  assert.match(text, /First 20 of 130 warnings:/);
  assert.equal(text.split('\n').filter((l) => /^ {2}- project \d+: reason \d+$/.test(l)).length, 20);
  assert.match(text, /- project 19: reason 19\n/);
  assert.match(text, /run again with --json, or `hexmeta status --service hex_prod --warnings`/);
  const all = formatWarnings({ ...base, warnings, warningsTotal: 130 }).split('\n');
  assert.equal(all.length, 101);
  assert.match(all[100], /30 more warnings were counted but not kept/);
  assert.doesNotMatch(formatSummary(base), /Warnings:\n|warnings:/);
});

test('progress adds the batch in flight (its heartbeat) and never goes back', () => {
  const decode = (payload: unknown) => payload;
  const pending = [
    { activityType: { name: 'ingestProjectPages' }, heartbeatDetails: { payloads: [{ pagesRead: 3, counts: { projectsSeen: 300, dashboardsCreated: 290 } }] } },
    { activityType: { name: 'lineageForPrefix' }, heartbeatDetails: { payloads: [{ cursor: 'x', counts: { queriesRead: 50, edgesWritten: 7, edgesExisting: 1 } }] } },
    { activityType: { name: 'ingestProjectPages' }, heartbeatDetails: null },
  ];
  const inFlight = inFlightOf(pending, decode);
  const shown = withInFlight(base, inFlight);
  assert.equal(shown.pagesRead, 13);
  assert.equal(shown.projectsSeen, 1300);
  assert.equal(shown.dashboardsCreated, 1290);
  assert.deepEqual(lineageSoFar(base, inFlight), { queriesRead: 50, edgesWritten: 8 });
  const monotonic = new MonotonicCounts();
  assert.equal(monotonic.apply(shown).pagesRead, 13);
  // The batch ended between the query and the describe: counted in neither for one poll.
  assert.equal(monotonic.apply(base).pagesRead, 13);
  assert.match(progressLine(shown, null, { lineage: lineageSoFar(base, inFlight), projectsPerSecond: 12.5, secondsLeft: 65 }),
    /pages 13 · projects 1300 .* · lineage 50 queries, 8 edges · failures 0 · 12\.5 projects\/s · ETA 1:05$/);
});

test('rate over the samples, ETA only with the expected size', () => {
  const rate = new ProgressRate(2_000);
  rate.add(0, 0);
  assert.equal(rate.perSecond(), null);
  rate.add(500, 10_000);
  assert.equal(rate.perSecond(), 50);
  assert.equal(rate.secondsLeft(), 30);
  const unknown = new ProgressRate(null);
  unknown.add(0, 0);
  unknown.add(100, 2_000);
  assert.equal(unknown.secondsLeft(), null);
});

test('on a TTY a log line erases the live line, is written, and the live line is drawn again below it', () => {
  const written: string[] = [];
  const out = { isTTY: true, columns: 40, write: (text: string) => { written.push(text); return true; } } as unknown as NodeJS.WriteStream;
  const live = new LiveLine(out);
  live.writeLog('first');
  live.show('[dashboards] pages 1');
  live.writeLog('second');
  live.show('x'.repeat(60));
  live.clear();
  assert.deepEqual(written, ['first\n', '\r[dashboards] pages 1\x1b[K', '\r\x1b[Ksecond\n[dashboards] pages 1', `\r${'x'.repeat(38)}…\x1b[K`, '\r\x1b[K']);
  const plain: string[] = [];
  const pipe = new LiveLine({ isTTY: false, write: (text: string) => { plain.push(text); return true; } } as unknown as NodeJS.WriteStream);
  pipe.show('progress');
  pipe.writeLog('line');
  assert.deepEqual(plain, ['line\n']);
});
