import { LogTimestamp, type Logger, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Log, LogFields } from '../activities/common/log';

/**
 * SDK metadata as log fields: string keys only (the SDK keeps its timestamp under a symbol), without the task
 * token, which is long, tells a reader nothing the ids do not, and lets its holder complete the activity.
 */
function fieldsOf(meta: LogMetadata | undefined): LogFields | undefined {
  if (!meta) return undefined;
  const fields: LogFields = {};
  for (const key of Object.keys(meta)) if (key !== 'taskToken') fields[key] = meta[key];
  return fields;
}

/** The time the SDK says a line was emitted (core lines arrive buffered), in nanoseconds since the epoch. */
function timestampOf(meta: LogMetadata | undefined): Date | undefined {
  const nanos = meta?.[LogTimestamp];
  return typeof nanos === 'bigint' ? new Date(Number(nanos / 1_000_000n)) : undefined;
}

/**
 * The SDK's own INFO lines (worker state changes, pollers, Nexus) tell an operator nothing about the ingestion:
 * they show at DEBUG. Lines written by workflow or activity code through the SDK keep their level.
 */
function sdkLevel(level: Exclude<LogLevel, 'TRACE'>, meta: LogMetadata | undefined): Exclude<LogLevel, 'TRACE'> {
  const component = meta?.sdkComponent;
  return level === 'INFO' && component !== 'workflow' && component !== 'activity' ? 'DEBUG' : level;
}

/**
 * The Temporal SDK's Logger interface over our logger, so worker, workflow and core lines share our format,
 * level and secret scrubber. TRACE has no counterpart in OpenMetadata's levels and is dropped.
 */
export class SdkLogger implements Logger {
  constructor(private readonly target: Log) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (level === 'TRACE') return;
    this.target.log(sdkLevel(level, meta), message, fieldsOf(meta), timestampOf(meta));
  }

  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}
