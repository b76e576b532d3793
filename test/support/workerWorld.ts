// One test file's world (local Hex and OpenMetadata) served by one `hexmeta worker` process on the suite's
// Temporal server: the set-up the fault and failure suites share.
import type { ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import { cliEnv, spawnCli, startWorkerProcess, type CliResult } from './cli';
import { stopSuiteTemporal, suiteTemporal } from './temporal';
import { startWorld, type World } from './world';

export interface WorkerWorld {
  /** The local Hex and OpenMetadata (set once the file's `before` hook has run). */
  readonly world: World;
  /** The suite's Temporal server. */
  readonly address: string;
  readonly taskQueue: string;
  /** Environment of a CLI process against this world and the suite's Temporal server. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** A workflow file for `service` (its own file name), changed by `mutate`. */
  configFor(service: string, mutate?: (doc: any) => void): string;
  /** `hexmeta ingest --json` of `configPath` on the worker's task queue, as a child process. */
  startIngest(configPath: string): ReturnType<typeof spawnCli>;
}

/**
 * Registers the file's `before` and `after` hooks: the world and its worker start before the first test and
 * stop after the last. `workerEnv` adds settings for the worker process only.
 */
export function useWorkerWorld(options: Parameters<typeof startWorld>[0] & { taskQueue: string; workerEnv?: Record<string, string> }): WorkerWorld {
  const { taskQueue, workerEnv, ...worldOptions } = options;
  let world: World | undefined;
  let address: string | undefined;
  let worker: (ChildProcess & { output: Promise<CliResult> }) | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the worker world is used before its before hook ran');
    return value;
  };
  const fixture: WorkerWorld = {
    get world() { return started(world); },
    get address() { return started(address); },
    taskQueue,
    env: (extra = {}) => cliEnv({ ...fixture.world.secretsEnv, TEMPORAL_ADDRESS: fixture.address, ...extra }),
    configFor: (service, mutate) => fixture.world.writeConfig((doc) => {
      doc.source.serviceName = service;
      mutate?.(doc);
    }, `${service}.yaml`),
    startIngest: (configPath) => spawnCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], fixture.env()),
  };
  before(async () => {
    ({ address } = await suiteTemporal());
    world = await startWorld(worldOptions);
    worker = await startWorkerProcess(fixture.env(workerEnv), taskQueue);
  });
  after(async () => {
    worker?.kill('SIGTERM');
    await worker?.output;
    await world?.close();
    await stopSuiteTemporal();
  });
  return fixture;
}

/** Polls `condition` every 5 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
