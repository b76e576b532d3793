// `npm run bench`: one full ingestion of workload W1 and one unchanged re-run (W2) on a real Temporal dev
// server with a `hexmeta worker` child process, printed as one fixed table. `--workers N` (N > 1) adds a full
// ingestion of the same workload, as another service, served by N worker processes, in a second table.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { cliEnv, runCli, startWorkerProcess } from '../test/support/cli';
import { ADVISED_WORKER_FLAGS, advisedNodeOptions } from '../worker/nodeFlags';
import { startDevServer, temporalClient } from '../test/support/temporal';
import { startWorld, type World } from '../test/support/world';
import { measureExtraction } from './extraction';
import { chainHistory, rssBytes, watchPeakRss } from './measure';
import { failures, formatTable, formatVersionsTable, formatWorkersTable, runFailed, type BenchSettings, type RecordedCall, type RunObservation } from './report';
import { startWarehouses, type BenchWarehouses } from './warehouses';
import { DASHBOARD_FILTER, HISTORY_ROWS_PER_PROJECT, makeWorkload, WAREHOUSES, type Workload } from './workload';

const SERVICE = 'hex_bench';
/** How long a worker idles after its "polling" line before its resident set is read. */
const IDLE_SETTLE_MS = 2_000;
const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '50k': 50_000 };

export interface BenchOptions {
  size: string;
  hexLatencyMs: number;
  omLatencyMs: number;
  hexRate: number;
  clientRate: number;
  workerHeapMb: number;
  workerSemiSpaceMb: number;
  /** Worker processes of the extra full ingestion (absent or 1: none). */
  workers?: number;
  /** Also run W1 against an OpenMetadata 2.0 server and compare the requests (W1 and W2 use 1.12). */
  bothVersions?: boolean;
}

/** `1k`, `10k`, `50k`, or a plain count (small counts are for checking the benchmark itself). */
export function projectCount(size: string): number {
  if (size in SIZES) return SIZES[size];
  const n = Number(size);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('size must be 1k, 10k, 50k or a project count');
  return n;
}

function workerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('must be a whole number from 1 to 16');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number >= 0');
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .option('--size <size>', 'workspace size: 1k, 10k or 50k', '10k')
    .option('--hex-latency-ms <ms>', 'Hex server latency per request', positive, 50)
    .option('--om-latency-ms <ms>', 'OpenMetadata server latency per request', positive, 10)
    .option('--hex-rate <perMinute>', "Hex's rate limit per token", positive, 60)
    .option('--client-rate <perMinute>', "the connector's own limit (hexmeta.hexRequestsPerMinute)", positive, 55)
    .option('--worker-heap-mb <mb>', "the worker's V8 heap cap (--max-old-space-size; 0 for Node's default)", positive, ADVISED_WORKER_FLAGS['max-old-space-size'])
    .option('--worker-semi-space-mb <mb>', "the worker's V8 semi-space cap (--max-semi-space-size; 0 for Node's default)", positive, ADVISED_WORKER_FLAGS['max-semi-space-size'])
    .option('--workers <n>', 'also run W1 on N worker processes at once and compare it with one worker', workerCount)
    .option('--both-versions', 'also run W1 against OpenMetadata 2.0.7 (the others use 1.12.6) and count the requests it saves')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const options = program.opts<BenchOptions>();
  projectCount(options.size);
  return options;
}

/** OpenMetadata requests by method and path shape (names and ids collapsed), most frequent first. */
function requestKinds(list: { method: string; path: string }[]): string {
  const counts = new Map<string, number>();
  for (const { method, path } of list) {
    const shape = path.replace(/\?.*$/, '').replace(/\/name\/[^/]+/, '/name/…').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…');
    counts.set(`${method} ${shape}`, (counts.get(`${method} ${shape}`) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([kind, n]) => `  ${String(n).padStart(7)}  ${kind}\n`).join('');
}

function calls(list: { method: string; path: string; status: number; receivedAt?: number }[], from: number): RecordedCall[] {
  return list.slice(from).map(({ method, path, status, receivedAt }) => ({ method, path, status, ...(receivedAt ? { receivedAt } : {}) }));
}

function seedOpenMetadata(world: World, workload: Workload, warehouses: BenchWarehouses): void {
  for (const kind of WAREHOUSES) {
    const { name, serviceType } = warehouses.services[kind];
    world.openMetadata.addDatabaseService(name, serviceType);
    for (const fqn of workload.tables[kind]) world.openMetadata.addTable(fqn);
  }
}

function writeWorkflowFile(world: World, warehouses: BenchWarehouses, clientRate: number): string {
  return world.writeConfig((doc) => {
    doc.source.sourceConfig.config.dashboardFilterPattern = DASHBOARD_FILTER;
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: WAREHOUSES.map((kind) => warehouses.services[kind].name) };
    // As a frequently scheduled ingestion runs: the first run reads every page, later ones stop at unchanged ones.
    doc.hexmeta = { hexRequestsPerMinute: clientRate, lookbackDays: 7, listing: 'incremental' };
    doc.warehouses = warehouses.connections;
    doc.queryHistory = warehouses.queryHistory;
  });
}

interface RunContext {
  world: World;
  env: NodeJS.ProcessEnv;
  configPath: string;
  taskQueue: string;
  address: string;
  workerHeapMb: number;
  workerSemiSpaceMb: number;
  workflowId: string;
}

/** One ingestion, from `hexmeta ingest` to its exit, with everything the table needs. */
async function measuredRun(ctx: RunContext, label: string, workers = 1): Promise<RunObservation> {
  const hexFrom = ctx.world.hex.requests.length;
  const omFrom = ctx.world.openMetadata.requests.length;
  // Run as the README advises for workers: the advised V8 flags bound the heap.
  // HEXMETA_BENCH_WORKER_NODE_OPTIONS adds flags for the worker's Node (e.g. --trace-gc with details).
  const advised = advisedNodeOptions({ 'max-old-space-size': ctx.workerHeapMb, 'max-semi-space-size': ctx.workerSemiSpaceMb });
  const nodeOptions = [advised, process.env.HEXMETA_BENCH_WORKER_NODE_OPTIONS ?? ''].join(' ').trim();
  const nodeEnv = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
  // HEXMETA_BENCH_DETAILS: the worker logs every API call, kept in a file per run.
  const details = process.env.HEXMETA_BENCH_DETAILS ? { HEXMETA_LOG_LEVEL: 'DEBUG' } : {};
  const spawned = Date.now();
  const worker = await startWorkerProcess({ ...ctx.env, ...nodeEnv, ...details }, ctx.taskQueue);
  const workerStartMs = Date.now() - spawned;
  // The others serve the same task queue, so the run's activities spread over all of them.
  const others = await Promise.all(Array.from({ length: workers - 1 }, () => startWorkerProcess({ ...ctx.env, ...nodeEnv, ...details }, ctx.taskQueue)));
  const rss = watchPeakRss(worker.pid!, 500, (line) => process.stderr.write(`${label}: ${line}`));
  const othersRss = others.map((other) => watchPeakRss(other.pid!, 500));
  // Idle: polling with no task yet, after the start's own allocations have settled.
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const workerIdleRssBytes = rssBytes(worker.pid!);
  process.stderr.write(`${label}: running…\n`);
  const started = Date.now();
  let result;
  try {
    result = await runCli(['ingest', '-c', ctx.configPath, '--task-queue', ctx.taskQueue, '--json'], ctx.env);
  } finally {
    for (const child of [worker, ...others]) child.kill('SIGTERM');
  }
  const wallMs = Date.now() - started;
  const workerOutput = await worker.output;
  const othersOutput = await Promise.all(others.map((other) => other.output));
  if (process.env.HEXMETA_BENCH_DETAILS) {
    [workerOutput, ...othersOutput].forEach((output, i) => {
      const file = join(tmpdir(), `hexmeta-bench-${label.split(' ')[0]}${i ? `-${i + 1}` : ''}.log`);
      writeFileSync(file, `${output.stderr}\n${output.stdout}`);
      process.stderr.write(`${label}: worker log in ${file}\n`);
    });
  }
  // The highest peak of any one worker: each is a process of its own.
  const peaks = [rss.stop(), ...othersRss.map((watch) => watch.stop())].filter((peak): peak is number => peak !== null);
  const workerPeakRssBytes = peaks.length ? Math.max(...peaks) : null;
  if (result.code !== 0) process.stderr.write(`${label}: ingest exited ${result.code}\n${result.stderr.slice(-4000)}\n${workerOutput.stderr.slice(-4000)}\n`);
  let summary: any = null;
  try {
    summary = JSON.parse(result.stdout);
  } catch {
    // reported through the exit code and stderr above
  }
  const lineage: any[] = summary?.lineage ?? [];
  const sum = (key: string) => lineage.reduce((total, entry) => total + (entry?.counts?.[key] ?? 0), 0);
  const { client, close } = await temporalClient(ctx.address);
  let history: Awaited<ReturnType<typeof chainHistory>> | null = null;
  try {
    history = await chainHistory(client, ctx.workflowId);
  } catch (error) {
    process.stderr.write(`${label}: workflow history not read: ${(error as Error).message}\n`);
  } finally {
    await close();
  }
  process.stderr.write(`${label}: done in ${(wallMs / 1000).toFixed(1)} s\n`);
  if (process.env.HEXMETA_BENCH_DETAILS) process.stderr.write(requestKinds(ctx.world.openMetadata.requests.slice(omFrom)));
  return {
    wallMs,
    exitCode: result.code,
    hexCalls: calls(ctx.world.hex.requests, hexFrom),
    openMetadataCalls: calls(ctx.world.openMetadata.requests, omFrom),
    historyEvents: history?.events ?? null,
    historyRuns: history?.runs ?? null,
    lineageMs: history?.lineageMs ?? null,
    lineageReads: history?.lineageReads ?? null,
    listingEndMs: history?.listingEndMs ?? null,
    workers,
    hexQueries: sum('hexQueries'),
    queriesRead: sum('queriesRead'),
    edgesWritten: sum('edgesWritten'),
    edgesExisting: sum('edgesExisting'),
    workerPeakRssBytes,
    workerStartMs,
    workerIdleRssBytes,
  };
}

/** A run failed: `table` still shows what was measured, without ratios for the failed run. */
export class BenchFailedError extends Error {
  constructor(readonly table: string, failed: string[]) {
    super(failed.join('; '));
  }
}

export interface BenchHooks {
  /** Called once the local servers are up and seeded, before W1 (tests inject faults here). */
  beforeRuns?(world: World): void;
}

/** Runs W1 and W2 and returns the table; rejects with BenchFailedError when a run failed (W2 is not run after a failed W1). */
export async function runBench(options: BenchOptions, hooks: BenchHooks = {}): Promise<string> {
  const projects = projectCount(options.size);
  process.stderr.write(`generating workload: ${projects} projects, ${projects * HISTORY_ROWS_PER_PROJECT} history rows…\n`);
  const workload = makeWorkload(projects);
  const temporal = await startDevServer();
  const warehouses = await startWarehouses(workload.history, randomBytes(12).toString('hex'));
  const world = await startWorld({
    projects: workload.projects,
    serviceName: SERVICE,
    hex: { latencyMs: options.hexLatencyMs, rateLimitPerMinute: options.hexRate || undefined },
    openMetadata: { latencyMs: options.omLatencyMs, users: workload.users, specDir: process.env.OPENMETADATA_SPEC_DIR },
  });
  try {
    seedOpenMetadata(world, workload, warehouses);
    const ctx: RunContext = {
      world,
      address: temporal.address,
      configPath: writeWorkflowFile(world, warehouses, options.clientRate),
      taskQueue: `bench-${randomBytes(4).toString('hex')}`,
      workerHeapMb: options.workerHeapMb,
      workerSemiSpaceMb: options.workerSemiSpaceMb,
      workflowId: `hexmeta-ingestion-${SERVICE}`,
      env: cliEnv({
        ...world.secretsEnv, ...warehouses.secretsEnv,
        TEMPORAL_ADDRESS: temporal.address, HEXMETA_HEX_REQUESTS_PER_MINUTE: String(options.clientRate),
      }),
    };
    hooks.beforeRuns?.(world);
    const w1 = await measuredRun(ctx, 'W1 (full ingestion)');
    const w2 = runFailed(w1) ? null : await measuredRun(ctx, 'W2 (nothing changed)');
    const settings: BenchSettings = {
      sizeLabel: options.size, projects, listed: workload.listed, kept: workload.kept,
      historyRows: projects * HISTORY_ROWS_PER_PROJECT, hexLatencyMs: options.hexLatencyMs, omLatencyMs: options.omLatencyMs,
      hexRatePerMinute: options.hexRate, clientRatePerMinute: options.clientRate, workerHeapMb: options.workerHeapMb,
      workerSemiSpaceMb: options.workerSemiSpaceMb,
      extraction: measureExtraction(WAREHOUSES.flatMap((kind) => workload.history[kind].map((row) => ({ sql: row.sql, dialect: kind })))),
    };
    const workers = options.workers ?? 1;
    const many = workers > 1 && !runFailed(w1) ? await manyWorkersRun(options, workload, warehouses, temporal.address, workers) : null;
    const om2 = options.bothVersions && !runFailed(w1) ? await isolatedW1(options, workload, warehouses, temporal.address, `${SERVICE}_om2`, 'W1 on OpenMetadata 2.0.7', 1, '2.0.7') : null;
    const table = formatTable(settings, w1, w2) + (many ? `\n\n${formatWorkersTable(settings, w1, many)}` : '') + (om2 ? `\n\n${formatVersionsTable(w1, om2)}` : '');
    const failed = [...failures(w1, w2), ...(many && runFailed(many) ? [`W1 on ${workers} workers failed: hexmeta ingest exited ${many.exitCode ?? 'without a code'}`] : []),
      ...(om2 && runFailed(om2) ? [`W1 on OpenMetadata 2.0.7 failed: hexmeta ingest exited ${om2.exitCode ?? 'without a code'}`] : [])];
    if (failed.length) throw new BenchFailedError(table, failed);
    return table;
  } finally {
    await Promise.allSettled([world.close(), warehouses.close(), temporal.stop()]);
  }
}

/**
 * W1 again on `workers` worker processes: the same workload as another service (its own Hex, OpenMetadata and
 * workflow id), so it is a full ingestion that no earlier run's history window shortens.
 */
async function manyWorkersRun(options: BenchOptions, workload: Workload, warehouses: BenchWarehouses, address: string, workers: number): Promise<RunObservation> {
  return isolatedW1(options, workload, warehouses, address, `${SERVICE}_${workers}w`, `W1 on ${workers} workers`, workers);
}

/** W1 as another service with its own Hex and OpenMetadata (of `omVersion`, default 1.12.6) and workflow id. */
async function isolatedW1(
  options: BenchOptions, workload: Workload, warehouses: BenchWarehouses, address: string, serviceName: string, label: string, workers: number, omVersion?: string,
): Promise<RunObservation> {
  const world = await startWorld({
    projects: workload.projects,
    serviceName,
    hex: { latencyMs: options.hexLatencyMs, rateLimitPerMinute: options.hexRate || undefined },
    openMetadata: { latencyMs: options.omLatencyMs, users: workload.users, specDir: process.env.OPENMETADATA_SPEC_DIR, ...(omVersion ? { version: omVersion } : {}) },
  });
  try {
    seedOpenMetadata(world, workload, warehouses);
    return await measuredRun({
      world,
      address,
      configPath: writeWorkflowFile(world, warehouses, options.clientRate),
      taskQueue: `bench-${randomBytes(4).toString('hex')}`,
      workerHeapMb: options.workerHeapMb,
      workerSemiSpaceMb: options.workerSemiSpaceMb,
      workflowId: `hexmeta-ingestion-${serviceName}`,
      env: cliEnv({
        ...world.secretsEnv, ...warehouses.secretsEnv,
        TEMPORAL_ADDRESS: address, HEXMETA_HEX_REQUESTS_PER_MINUTE: String(options.clientRate),
      }),
    }, label, workers);
  } finally {
    await world.close();
  }
}

/** The options, or the exit code once commander has printed help, a version or a usage error. */
function optionsOrExitCode(argv: string[]): BenchOptions | number {
  try {
    return parseOptions(argv);
  } catch (error) {
    // Raised by the checks after parsing, so commander has not printed it.
    if (error instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}

if (require.main === module) {
  const options = optionsOrExitCode(process.argv.slice(2));
  if (typeof options === 'number') process.exit(options);
  runBench(options)
    .then((table) => {
      console.log(table);
      process.exit(0);
    })
    .catch((error) => {
      if (error instanceof BenchFailedError) console.log(error.table);
      console.error(`bench failed: ${(error as Error).message}`);
      process.exit(1);
    });
}
