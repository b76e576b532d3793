// Turns what a benchmark run observed into the fixed table it prints, so runs can be compared line by line.

/** Projects per Hex list page the connector asks for. */
export const HEX_PAGE_SIZE = 100;

export interface RecordedCall {
  method: string;
  path: string;
  status: number;
  /** When the server received it (epoch ms). */
  receivedAt?: number;
}

export interface RunObservation {
  wallMs: number;
  hexCalls: RecordedCall[];
  openMetadataCalls: RecordedCall[];
  historyEvents: number | null;
  historyRuns: number | null;
  lineageMs: number | null;
  /** Lineage activities scheduled per prefix (more than one: the prefix's history was read again). */
  lineageReads?: Record<string, number> | null;
  /** When the listing's last activity closed (epoch ms). */
  listingEndMs?: number | null;
  /** Worker processes that served the run. */
  workers?: number;
  hexQueries: number;
  queriesRead: number;
  edgesWritten: number;
  /** Pairs found already in OpenMetadata, so not written. */
  edgesExisting: number;
  workerPeakRssBytes: number | null;
  /** From spawning `hexmeta worker` to its "polling task queue" line. */
  workerStartMs: number | null;
  /** The worker's VmRSS once polling, before the run starts. */
  workerIdleRssBytes: number | null;
  exitCode: number | null;
}

export interface BenchSettings {
  sizeLabel: string;
  projects: number;
  listed: number;
  kept: number;
  historyRows: number;
  hexLatencyMs: number;
  omLatencyMs: number;
  hexRatePerMinute: number;
  clientRatePerMinute: number;
  /** The worker's V8 heap cap in MiB (0: Node's default). */
  workerHeapMb?: number;
  workerSemiSpaceMb?: number;
  /** SQL extraction of the workload's history on one thread, apart from any I/O. */
  extraction?: { queriesPerSecond: number; slowestMs: number };
}

const isList = (call: RecordedCall) => call.method === 'GET' && /\/projects$/.test(call.path);
const succeeded = (call: RecordedCall) => call.status >= 200 && call.status < 300;

/**
 * Hex requests a perfect run makes: one list page per 100 listed projects plus each distinct other request
 * (credential and workspace checks) that succeeded. Repeated pages and 429s are not needed.
 */
export function hexRequestsNeeded(listed: number, hexCalls: RecordedCall[]): number {
  const pages = Math.max(1, Math.ceil(listed / HEX_PAGE_SIZE));
  const others = hexCalls.filter((call) => !isList(call) && succeeded(call)).length;
  return pages + others;
}

/** Seconds no client can beat at Hex's rate limit. */
export function rateLimitFloorSeconds(needed: number, ratePerMinute: number): number {
  return (needed / ratePerMinute) * 60;
}

/** Successful lineage edge writes. */
export function lineageWrites(calls: RecordedCall[]): number {
  return calls.filter((call) => call.method === 'PUT' && /\/lineage$/.test(call.path) && succeeded(call)).length;
}

/** Read requests: look-ups of owners, tables, dashboards, services and listings. */
export function readRequests(calls: RecordedCall[]): number {
  return calls.filter((call) => call.method === 'GET').length;
}

/** Successful usage reports (one per viewed dashboard and day; OpenMetadata has no bulk form). */
export function usageWrites(calls: RecordedCall[]): number {
  return calls.filter((call) => call.method === 'PUT' && /\/usage\//.test(call.path) && succeeded(call)).length;
}

/** Successful dashboard write requests, single or bulk (lineage and other writes excluded). */
export function dashboardWrites(calls: RecordedCall[]): number {
  return calls.filter((call) => (call.method === 'PUT' || call.method === 'PATCH') && /\/dashboards(\/|$)/.test(call.path) && succeeded(call)).length;
}

type Cell = string;
const dash = '-';

/** A run whose `hexmeta ingest` did not exit 0: its figures describe a failure, so no ratio is drawn from them. */
export function runFailed(run: RunObservation | null): boolean {
  return run !== null && run.exitCode !== 0;
}

/** One line per failed run, naming it and its exit code; empty when every run completed. */
export function failures(w1: RunObservation, w2: RunObservation | null): string[] {
  return ([['W1', w1], ['W2', w2]] as const)
    .filter(([, run]) => runFailed(run))
    .map(([label, run]) => `${label} failed: hexmeta ingest exited ${run!.exitCode ?? 'without a code'}`);
}

function fixed(value: number | null, digits: number): Cell {
  return value === null || !Number.isFinite(value) ? dash : value.toFixed(digits);
}

function whole(value: number | null): Cell {
  return value === null ? dash : String(Math.round(value));
}

/** The rows of the table, in a fixed order; W2 cells are '-' where the figure does not apply. */
export function tableRows(settings: BenchSettings, w1: RunObservation, w2: RunObservation | null): [string, Cell, Cell][] {
  const needed = hexRequestsNeeded(settings.listed, w1.hexCalls);
  const floor = rateLimitFloorSeconds(needed, settings.hexRatePerMinute);
  const per = (run: RunObservation | null, f: (r: RunObservation) => Cell): Cell => (run ? f(run) : dash);
  const ratioOf = (run: RunObservation | null, f: (r: RunObservation) => Cell): Cell => (runFailed(run) ? dash : per(run, f));
  const rejected = (calls: RecordedCall[]) => calls.filter((call) => call.status === 429).length;
  const pushedBack = (calls: RecordedCall[]) => calls.filter((call) => call.status === 429 || call.status === 503).length;
  const omPerDashboard = (run: RunObservation) => fixed(settings.kept ? run.openMetadataCalls.length / settings.kept : null, 2);
  // OpenMetadata takes lineage one edge per request, so edges are counted apart from the per-dashboard cost.
  const omPerDashboardBesidesEdges = (run: RunObservation) =>
    fixed(settings.kept ? (run.openMetadataCalls.length - lineageWrites(run.openMetadataCalls)) / settings.kept : null, 2);
  return [
    ['exit code', String(w1.exitCode ?? dash), per(w2, (r) => String(r.exitCode ?? dash))],
    ['wall time (s)', fixed(w1.wallMs / 1000, 1), per(w2, (r) => fixed(r.wallMs / 1000, 1))],
    ['Hex requests needed', String(needed), dash],
    ['rate-limit floor (s)', fixed(floor, 1), dash],
    ['W1 wall ÷ W2 wall', dash, runFailed(w1) ? dash : ratioOf(w2, (r) => fixed(r.wallMs ? w1.wallMs / r.wallMs : null, 1))],
    ['wall time / floor', ratioOf(w1, (r) => fixed(floor ? r.wallMs / 1000 / floor : null, 2)), ratioOf(w2, (r) => fixed(floor ? r.wallMs / 1000 / floor : null, 2))],
    ['Hex requests made', String(w1.hexCalls.length), per(w2, (r) => String(r.hexCalls.length))],
    ['Hex 429 answers', String(rejected(w1.hexCalls)), per(w2, (r) => String(rejected(r.hexCalls)))],
    ['OM requests made', String(w1.openMetadataCalls.length), per(w2, (r) => String(r.openMetadataCalls.length))],
    ['OM requests per kept dashboard', ratioOf(w1, omPerDashboard), ratioOf(w2, omPerDashboard)],
    ['OM requests per kept dashboard, edges apart', ratioOf(w1, omPerDashboardBesidesEdges), ratioOf(w2, omPerDashboardBesidesEdges)],
    ['OM 429/503 answers', String(pushedBack(w1.openMetadataCalls)), per(w2, (r) => String(pushedBack(r.openMetadataCalls)))],
    ['  of which GET (look-ups, listings)', String(readRequests(w1.openMetadataCalls)), per(w2, (r) => String(readRequests(r.openMetadataCalls)))],
    ['  of which lineage writes', String(lineageWrites(w1.openMetadataCalls)), per(w2, (r) => String(lineageWrites(r.openMetadataCalls)))],
    ['  of which dashboard writes', String(dashboardWrites(w1.openMetadataCalls)), per(w2, (r) => String(dashboardWrites(r.openMetadataCalls)))],
    ['  of which usage writes', String(usageWrites(w1.openMetadataCalls)), per(w2, (r) => String(usageWrites(r.openMetadataCalls)))],
    ['workflow runs (continue-as-new chain)', whole(w1.historyRuns), per(w2, (r) => whole(r.historyRuns))],
    ['history events', whole(w1.historyEvents), per(w2, (r) => whole(r.historyEvents))],
    ['history events per 1,000 projects', ratioOf(w1, (r) => fixed(r.historyEvents === null ? null : (r.historyEvents / settings.projects) * 1000, 0)),
      ratioOf(w2, (r) => fixed(r.historyEvents === null ? null : (r.historyEvents / settings.projects) * 1000, 0))],
    ['worker start to polling (s)', fixed(w1.workerStartMs === null ? null : w1.workerStartMs / 1000, 2),
      per(w2, (r) => fixed(r.workerStartMs === null ? null : r.workerStartMs / 1000, 2))],
    ['worker idle RSS (MiB)', fixed(w1.workerIdleRssBytes === null ? null : w1.workerIdleRssBytes / 2 ** 20, 0),
      per(w2, (r) => fixed(r.workerIdleRssBytes === null ? null : r.workerIdleRssBytes / 2 ** 20, 0))],
    ['worker peak RSS (MiB)', fixed(w1.workerPeakRssBytes === null ? null : w1.workerPeakRssBytes / 2 ** 20, 0),
      per(w2, (r) => fixed(r.workerPeakRssBytes === null ? null : r.workerPeakRssBytes / 2 ** 20, 0))],
    ['history rows read by the connector', String(w1.queriesRead), per(w2, (r) => String(r.queriesRead))],
    ['Hex queries extracted', String(w1.hexQueries), per(w2, (r) => String(r.hexQueries))],
    ['lineage phase (s)', fixed(w1.lineageMs === null ? null : w1.lineageMs / 1000, 1), per(w2, (r) => fixed(r.lineageMs === null ? null : r.lineageMs / 1000, 1))],
    ['lineage throughput (Hex queries/s)', ratioOf(w1, (r) => fixed(r.lineageMs ? r.hexQueries / (r.lineageMs / 1000) : null, 0)),
      ratioOf(w2, (r) => fixed(r.lineageMs ? r.hexQueries / (r.lineageMs / 1000) : null, 0))],
    ['SQL extraction, one core (queries/s)', fixed(settings.extraction?.queriesPerSecond ?? null, 0), dash],
    ['SQL extraction, slowest query (ms)', fixed(settings.extraction?.slowestMs ?? null, 1), dash],
    ['lineage edges written', String(w1.edgesWritten), per(w2, (r) => String(r.edgesWritten))],
    ['lineage edges already in OM (not written)', String(w1.edgesExisting), per(w2, (r) => String(r.edgesExisting))],
  ];
}

export function settingsLine(s: BenchSettings): string {
  return `hexmeta bench: size=${s.sizeLabel} projects=${s.projects} listed=${s.listed} kept=${s.kept} history-rows=${s.historyRows} `
    + `hex-latency=${s.hexLatencyMs}ms om-latency=${s.omLatencyMs}ms hex-rate=${s.hexRatePerMinute}/min client-rate=${s.clientRatePerMinute}/min`
    + ` worker-heap=${s.workerHeapMb ? `${s.workerHeapMb}MiB` : 'default'}`
    + ` worker-semi-space=${s.workerSemiSpaceMb ? `${s.workerSemiSpaceMb}MiB` : 'default'}`;
}

/** A Markdown table with fixed columns, so outputs of two runs diff line by line; failed runs are named below it. */
export function formatTable(settings: BenchSettings, w1: RunObservation, w2: RunObservation | null): string {
  const rows = tableRows(settings, w1, w2);
  const width = Math.max(...rows.map(([label]) => label.length));
  const pad = (text: string, n: number, right = false) => (right ? text.padStart(n) : text.padEnd(n));
  const lines = [
    `| ${pad('metric', width)} | ${pad('W1 (full)', 12, true)} | ${pad('W2 (no change)', 14, true)} |`,
    `|${'-'.repeat(width + 2)}|${'-'.repeat(13)}:|${'-'.repeat(15)}:|`,
    ...rows.map(([label, a, b]) => `| ${pad(label, width)} | ${pad(a, 12, true)} | ${pad(b, 14, true)} |`),
  ];
  const failed = failures(w1, w2).map((line) => `${line}: no ratios drawn from it`);
  return [settingsLine(settings), '', ...lines, ...(failed.length ? ['', ...failed] : [])].join('\n');
}

/** Share (percent) of the successful lineage writes the server received before the listing ended. */
export function lineageShareWhileListing(run: RunObservation): number | null {
  const writes = run.openMetadataCalls.filter((call) => call.method === 'PUT' && /\/lineage$/.test(call.path) && succeeded(call));
  if (!writes.length || run.listingEndMs == null || writes.some((call) => call.receivedAt === undefined)) return null;
  return (writes.filter((call) => call.receivedAt! <= run.listingEndMs!).length / writes.length) * 100;
}

/** Prefixes whose history was read more than once in the run. */
export function prefixesReadTwice(run: RunObservation): number | null {
  return run.lineageReads ? Object.values(run.lineageReads).filter((n) => n > 1).length : null;
}

/** One worker against several on the same workload, same settings, same bench run. */
export function formatWorkersTable(settings: BenchSettings, one: RunObservation, many: RunObservation): string {
  const floorOf = (run: RunObservation) => rateLimitFloorSeconds(hexRequestsNeeded(settings.listed, run.hexCalls), settings.hexRatePerMinute);
  const cell = (run: RunObservation, f: (r: RunObservation) => Cell): Cell => (runFailed(run) ? dash : f(run));
  const rows: [string, Cell, Cell][] = [
    ['exit code', String(one.exitCode ?? dash), String(many.exitCode ?? dash)],
    ['wall time (s)', fixed(one.wallMs / 1000, 1), fixed(many.wallMs / 1000, 1)],
    ['wall time / floor', cell(one, (r) => fixed(r.wallMs / 1000 / floorOf(r), 2)), cell(many, (r) => fixed(r.wallMs / 1000 / floorOf(r), 2))],
    ['history events per 1,000 projects', ...[one, many].map((run) => cell(run, (r) => fixed(r.historyEvents === null ? null : (r.historyEvents / settings.projects) * 1000, 0))) as [Cell, Cell]],
    ['lineage edges written', String(lineageWrites(one.openMetadataCalls)), String(lineageWrites(many.openMetadataCalls))],
    ['% of lineage edges written while listing', fixed(lineageShareWhileListing(one), 1), fixed(lineageShareWhileListing(many), 1)],
    ['prefixes read twice', whole(prefixesReadTwice(one)), whole(prefixesReadTwice(many))],
    ['lineage activities', whole(one.lineageReads ? Object.values(one.lineageReads).reduce((a, b) => a + b, 0) : null),
      whole(many.lineageReads ? Object.values(many.lineageReads).reduce((a, b) => a + b, 0) : null)],
    ['worker peak RSS, highest (MiB)', fixed(one.workerPeakRssBytes === null ? null : one.workerPeakRssBytes / 2 ** 20, 0),
      fixed(many.workerPeakRssBytes === null ? null : many.workerPeakRssBytes / 2 ** 20, 0)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const manyLabel = `W1, ${many.workers ?? '?'} workers`;
  return [
    `| ${'W1: one worker against several'.padEnd(width)} | ${'W1, 1 worker'.padStart(12)} | ${manyLabel.padStart(14)} |`,
    `|${'-'.repeat(width + 2)}|${'-'.repeat(13)}:|${'-'.repeat(Math.max(manyLabel.length, 14) + 1)}:|`,
    ...rows.map(([label, a, b]) => `| ${label.padEnd(width)} | ${a.padStart(12)} | ${b.padStart(Math.max(manyLabel.length, 14))} |`),
  ].join('\n');
}

/**
 * Requests marking deleted what a run did not see: 2.0's one deleteStale per collection, or 1.12's listing of the
 * service's dashboards (and charts) to diff, plus one soft delete per entity gone.
 */
export function staleDeletionRequests(calls: RecordedCall[]): number {
  return calls.filter((c) => /\/deleteStale$/.test(c.path)
    || (c.method === 'GET' && /\/v1\/(dashboards|charts)$/.test(c.path))
    || (c.method === 'DELETE' && /\/v1\/(dashboards|charts)\/[^/]+$/.test(c.path))).length;
}

/** W1 against OpenMetadata 1.12 and 2.0, same workload and settings: the requests 2.0's calls save. */
export function formatVersionsTable(v112: RunObservation, v2: RunObservation): string {
  const cell = (run: RunObservation, f: (r: RunObservation) => Cell): Cell => (runFailed(run) ? dash : f(run));
  const saved = (f: (r: RunObservation) => number): Cell => (runFailed(v112) || runFailed(v2) ? dash : String(f(v112) - f(v2)));
  const rows: [string, Cell, Cell][] = [
    ['exit code', String(v112.exitCode ?? dash), String(v2.exitCode ?? dash)],
    ['wall time (s)', fixed(v112.wallMs / 1000, 1), fixed(v2.wallMs / 1000, 1)],
    ['OpenMetadata requests', String(v112.openMetadataCalls.length), String(v2.openMetadataCalls.length)],
    ['list, delete and deleteStale requests', cell(v112, (r) => String(staleDeletionRequests(r.openMetadataCalls))), cell(v2, (r) => String(staleDeletionRequests(r.openMetadataCalls)))],
    ['of which saved by 2.0 (deleteStale)', '', saved((r) => staleDeletionRequests(r.openMetadataCalls))],
    ['OpenMetadata requests saved by 2.0', '', saved((r) => r.openMetadataCalls.length)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `| ${'W1: OpenMetadata 1.12 against 2.0'.padEnd(width)} | ${'1.12.6'.padStart(8)} | ${'2.0.7'.padStart(8)} |`,
    `|${'-'.repeat(width + 2)}|${'-'.repeat(9)}:|${'-'.repeat(9)}:|`,
    ...rows.map(([label, a, b]) => `| ${label.padEnd(width)} | ${a.padStart(8)} | ${b.padStart(8)} |`),
  ].join('\n');
}
