import { Runtime } from '@temporalio/worker';
import {
  configureProcessLog, parseFormat, parseLevel, type Level, type Log, type LogFormat,
} from '../activities/common/log';
import { SdkLogger } from './sdkLogger';

/** What `--log-level`, `--log-format` and `--metrics-address` (or their HEXMETA_* variables) ask for. */
export interface TelemetryFlags {
  logLevel?: string;
  logFormat?: string;
  metricsAddress?: string;
}

export interface TelemetrySettings {
  level: Level;
  format: LogFormat;
  /** host:port of the Prometheus endpoint (`/metrics`), or null for none. */
  metricsAddress: string | null;
}

export class TelemetryOptionError extends Error {}

/** Flags win over the environment; without either, the level is `fallbackLevel` (a workflow file's, or INFO). */
export function telemetrySettings(flags: TelemetryFlags, env: NodeJS.ProcessEnv, fallbackLevel: Level = 'INFO'): TelemetrySettings {
  const levelText = flags.logLevel ?? env.HEXMETA_LOG_LEVEL;
  const level = levelText === undefined || levelText === '' ? fallbackLevel : parseLevel(levelText);
  if (!level) throw new TelemetryOptionError(`log level ${JSON.stringify(levelText)}: must be DEBUG, INFO, WARN or ERROR`);
  const formatText = flags.logFormat ?? env.HEXMETA_LOG_FORMAT;
  const format = formatText === undefined || formatText === '' ? 'text' : parseFormat(formatText);
  if (!format) throw new TelemetryOptionError(`log format ${JSON.stringify(formatText)}: must be text or json`);
  const metricsAddress = flags.metricsAddress ?? env.HEXMETA_METRICS_ADDRESS ?? '';
  if (metricsAddress && !/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/.test(metricsAddress)) {
    throw new TelemetryOptionError(`metrics address ${JSON.stringify(metricsAddress)}: must be host:port, e.g. 127.0.0.1:9464`);
  }
  return { level, format, metricsAddress: metricsAddress || null };
}

let runtimeInstalled = false;

/**
 * Sets the process logger and, for a process that runs a worker, installs the Temporal Runtime with it (SDK and
 * core lines in the same format, level and scrubber) and the Prometheus endpoint. The SDK allows one Runtime per
 * process, made before the first NativeConnection or Worker, so this runs first and once.
 */
export function setUpTelemetry(settings: TelemetrySettings, options: { runsWorker: boolean; write?: (line: string) => void }): Log {
  const log = configureProcessLog({ level: settings.level, format: settings.format, write: options.write });
  if (!options.runsWorker) {
    if (settings.metricsAddress) log.warn('no worker runs in this process: --metrics-address is ignored');
    return log;
  }
  if (runtimeInstalled) throw new Error('the Temporal Runtime is already installed in this process');
  Runtime.install({
    logger: new SdkLogger(log),
    telemetryOptions: {
      // Core's own lines come through our logger too; below WARN they are chatty, so only DEBUG lets INFO in.
      logging: { forward: {}, filter: { core: settings.level === 'DEBUG' ? 'INFO' : 'WARN', other: 'ERROR' } },
      ...(settings.metricsAddress ? { metrics: { prometheus: { bindAddress: settings.metricsAddress } } } : {}),
    },
  });
  runtimeInstalled = true;
  if (settings.metricsAddress) log.info(`worker metrics for Prometheus at http://${settings.metricsAddress}/metrics`);
  return log;
}
