import type { Log } from '../common/log';
import type { ResolvedConfig } from '../config/load';
import { DEFAULT_HEX_MAX_RETRY_AFTER_MS, HexClient } from '../hex/client';
import { limiterFor } from '../hex/rateLimiter';
import { OpenMetadataClient } from '../openmetadata/client';
import { gateFor, openMetadataConcurrency } from '../openmetadata/gate';
import { createHistorySource } from '../warehouses';

/** Below Hex's published 60 requests/minute per user, leaving room for the user's own API calls. */
export const DEFAULT_HEX_REQUESTS_PER_MINUTE = 55;
/** Hex's fixed limit for its `hex-api-30rpm` group (ListCells among them). */
export const HEX_CELL_REQUESTS_PER_MINUTE = 30;

/** The clients of one resolved configuration. */
export interface ServiceClients {
  hex: HexClient;
  openMetadata: OpenMetadataClient;
}

/** Builds the clients of a configuration; `log` is that configuration's logger. */
export type ClientFactory = (config: ResolvedConfig, log: Log) => ServiceClients;

/** Builds the query-history reader of a warehouse connection (see warehouses/index.ts). */
export type HistorySourceFactory = typeof createHistorySource;

/** What the activities are given from outside: the worker's environment and the factories of every client. */
export interface ActivityDeps {
  env: NodeJS.ProcessEnv;
  clients: ClientFactory;
  historySources: HistorySourceFactory;
}

/**
 * The worker's clients: Hex paced per host and service (HEXMETA_HEX_REQUESTS_PER_MINUTE, the file's hexmeta
 * settings first), OpenMetadata through one gate per server, and the warehouse readers by connection type.
 */
export function defaultActivityDeps(env: NodeJS.ProcessEnv = process.env): ActivityDeps {
  return { env, clients: (config, log) => serviceClients(config, log, env), historySources: createHistorySource };
}

function serviceClients(config: ResolvedConfig, log: Log, env: NodeJS.ProcessEnv): ServiceClients {
  const perMinute = Number(config.file.hexmeta?.hexRequestsPerMinute ?? env.HEXMETA_HEX_REQUESTS_PER_MINUTE ?? DEFAULT_HEX_REQUESTS_PER_MINUTE);
  const cellsPerMinute = Number(config.file.hexmeta?.hexCellRequestsPerMinute ?? Math.min(perMinute, HEX_CELL_REQUESTS_PER_MINUTE));
  const maxRetryAfterSeconds = Number(config.file.hexmeta?.hexMaxRetryAfterSeconds ?? env.HEXMETA_HEX_MAX_RETRY_AFTER_SECONDS ?? DEFAULT_HEX_MAX_RETRY_AFTER_MS / 1000);
  return {
    hex: new HexClient({
      hostPort: config.plan.hexHostPort,
      token: config.hexToken,
      log,
      maxRetryAfterMs: Number.isFinite(maxRetryAfterSeconds) && maxRetryAfterSeconds >= 0 ? maxRetryAfterSeconds * 1000 : DEFAULT_HEX_MAX_RETRY_AFTER_MS,
      limiter: limiterFor(`${config.plan.hexHostPort}|${config.plan.serviceName}`, perMinute),
      cellLimiter: limiterFor(`${config.plan.hexHostPort}|${config.plan.serviceName}|cells`, cellsPerMinute),
    }),
    openMetadata: new OpenMetadataClient({
      hostPort: config.openMetadataHostPort,
      jwtToken: config.jwtToken,
      gate: gateFor(config.openMetadataHostPort, openMetadataConcurrency(env)),
      log,
      extraHeaders: config.extraHeaders,
    }),
  };
}
