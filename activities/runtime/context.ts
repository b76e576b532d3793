import { statSync } from 'node:fs';
import type DataLoader from 'dataloader';
import { EdgeClaims } from '../edges/edgeClaims';
import { resolveConfig, type ResolvedConfig } from '../config/load';
import { moreVerbose, processLog, type Log } from '../common/log';
import type { ConfigSource } from '../config/types';
import { defaultActivityDeps, type ActivityDeps, type HistorySourceFactory } from './deps';
import type { HexClient } from '../hex/client';
import type { OpenMetadataClient } from '../openmetadata/client';
import type { DashboardUpstream } from '../openmetadata/lineage';
import type { EntityReference, FoundEntity, TableLookup, UsageSummary } from '../openmetadata/types';
import type { HexDataConnection } from '../hex/types';

export interface Connected {
  config: ResolvedConfig;
  hex: HexClient;
  openMetadata: OpenMetadataClient;
  /** The query-history reader of a warehouse connection. */
  historySources: HistorySourceFactory;
  /** This configuration's logger (see `configLog`). */
  log: Log;
}

/**
 * A configuration's logger. Its level is the more verbose of the process level (`--log-level`, or the file's
 * own level for an embedded `hexmeta ingest`) and the file's `workflowConfig.loggerLevel`: one long-lived
 * worker serves many files, so a file asking for DEBUG gets its API calls logged without making every other
 * ingestion verbose, and an operator's DEBUG still shows everything. Its secrets join the process's scrubber.
 */
export function configLog(config: ResolvedConfig, base: Log = processLog()): Log {
  base.sink.addSecrets(config.secrets);
  return base.atLevel(moreVerbose(base.level, config.plan.loggerLevel)).with({ ingestion: config.plan.serviceName });
}

/**
 * The lookup's promise for `key`, started once and shared by concurrent callers; a failed lookup is
 * forgotten so that a retry asks again.
 */
export function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let found = cache.get(key);
  if (!found) {
    found = load();
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

/** The run cache's values that are one whole listing each, read once per run. */
type RunListing = 'existingDashboards' | 'existingCharts' | 'dataConnections';

/**
 * Like `remember`, for one of the run cache's whole listings: loaded on first use and shared; a failed load is
 * forgotten so that a retry reads it again.
 */
export function rememberListing<K extends RunListing>(cache: RunCache, listing: K, load: () => NonNullable<RunCache[K]>): NonNullable<RunCache[K]> {
  let found = cache[listing];
  if (!found) {
    found = load();
    cache[listing] = found;
    found.catch(() => { cache[listing] = null as RunCache[K]; });
  }
  return found as NonNullable<RunCache[K]>;
}

/** What a run needs to know of a dashboard OpenMetadata already has. */
export interface StoredDashboard {
  id: string;
  sourceHash: string | null;
  deleted: boolean;
  usageSummary: UsageSummary | null;
}

/** Per-run lookups (owners by e-mail, tags already written), so each is asked once per run. */
export class RunCache {
  readonly owners = new Map<string, Promise<EntityReference | null>>();
  readonly ownersWarned = new Set<string>();
  /** Whether this run has already said that Hex refuses to show cells. */
  cellsRefusedWarned = false;
  readonly tags = new Map<string, Promise<boolean>>();
  /** Table look-ups by name, database and prefix: one table, the candidates when several fit, or null. */
  readonly tables = new Map<string, Promise<TableLookup>>();
  /** Project id -> its live dashboard and the entities already upstream of it (null: none), read once per run. */
  readonly dashboards = new Map<string, Promise<DashboardUpstream | null>>();
  /**
   * Dashboards this run created on this worker (project id -> dashboard id, or how to find it once it is
   * needed): a shortcut only. Which dashboards exist is the workflow's to say (see edges/listingWatch.ts).
   */
  readonly createdDashboards = new Map<string, string | (() => Promise<string | null>)>();
  /** Batched look-ups by FQN (see openmetadata/entityIds.ts), made on first use. */
  tableSearch: DataLoader<string, FoundEntity[]> | null = null;
  dashboardSearch: DataLoader<string, FoundEntity[]> | null = null;
  ownerSearch: DataLoader<string, EntityReference | null> | null = null;
  /** Table -> dashboard edges claimed this run, and by whom (see edges/edgeClaims.ts). */
  readonly edges = new EdgeClaims();

  /** Dashboards of the service already in OpenMetadata, by name, read once per run. */
  existingDashboards: Promise<Map<string, StoredDashboard>> | null = null;
  /** Live charts of the service already in OpenMetadata: name -> sourceHash, read once per run. */
  existingCharts: Promise<Map<string, string | null>> | null = null;
  /** Hex data connections by id (dialect and defaults of SQL cells), read once per run. */
  dataConnections: Promise<Map<string, HexDataConnection>> | null = null;
  /** OpenMetadata database service name -> its serviceType (null when there is no such service). */
  readonly databaseServiceTypes = new Map<string, Promise<string | null>>();
}

/** What the worker keeps between activity calls: resolved configs, their clients and per-run caches. */
export class WorkerState {
  private readonly connected = new Map<string, { stamp: string; value: Connected }>();
  private readonly runs = new Map<string, RunCache>();
  private readonly deps: ActivityDeps;
  readonly env: NodeJS.ProcessEnv;

  /** `deps` builds the clients; an environment alone stands for the worker's default deps of that environment. */
  constructor(deps: ActivityDeps | NodeJS.ProcessEnv) {
    this.deps = isActivityDeps(deps) ? deps : defaultActivityDeps(deps);
    this.env = this.deps.env;
  }

  /** Resolves the configuration inside the worker (secrets included) and has the deps build its clients. */
  connect(source: ConfigSource): Connected {
    const key = JSON.stringify(source);
    const stamp = 'configPath' in source ? String(statSync(source.configPath, { throwIfNoEntry: false })?.mtimeMs ?? 0) : '';
    const cached = this.connected.get(key);
    if (cached && cached.stamp === stamp) return cached.value;
    const config = resolveConfig(source, this.env);
    const log = configLog(config);
    const value: Connected = { config, log, ...this.deps.clients(config, log), historySources: this.deps.historySources };
    this.connected.set(key, { stamp, value });
    return value;
  }

  /** Secrets of a source, for scrubbing messages; empty when the source cannot be resolved. */
  secretsOf(source: ConfigSource): string[] {
    try {
      return this.connect(source).config.secrets;
    } catch {
      return [];
    }
  }

  runCache(runKey: string): RunCache {
    let cache = this.runs.get(runKey);
    if (!cache) {
      cache = new RunCache();
      this.runs.set(runKey, cache);
      // Keep only recent runs: a long-lived worker serves many.
      while (this.runs.size > 8) this.runs.delete(this.runs.keys().next().value as string);
    }
    return cache;
  }
}

function isActivityDeps(value: ActivityDeps | NodeJS.ProcessEnv): value is ActivityDeps {
  return typeof (value as Partial<ActivityDeps>).clients === 'function';
}
