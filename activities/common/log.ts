import { processScrubber, type SecretScrubber } from './scrubber';

/** OpenMetadata's `workflowConfig.loggerLevel` values, most verbose first. */
export const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type Level = (typeof LEVELS)[number];
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, unknown>;

const RANK: Record<Level, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

/** A level named in any case (`debug`, `Info`); `WARNING` as Python's logging spells it. Null when unknown. */
export function parseLevel(value: unknown): Level | null {
  if (typeof value !== 'string') return null;
  const upper = value.trim().toUpperCase();
  if (upper === 'WARNING') return 'WARN';
  return (LEVELS as readonly string[]).includes(upper) ? (upper as Level) : null;
}

export function parseFormat(value: unknown): LogFormat | null {
  if (typeof value !== 'string') return null;
  const lower = value.trim().toLowerCase();
  return lower === 'text' || lower === 'json' ? lower : null;
}

/** The level that lets more lines through. */
export function moreVerbose(a: Level, b: Level): Level {
  return RANK[a] <= RANK[b] ? a : b;
}

/** JSON.stringify that never throws: errors become their message, bigints strings, cycles a marker. */
function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) {
        const type = (v as { type?: unknown }).type;
        return typeof type === 'string' && type ? `${type}: ${v.message}` : `${v.name}: ${v.message}`;
      }
      return v;
    }) ?? 'null';
  } catch {
    return '"[unserialisable]"';
  }
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return toJson(value);
}

/**
 * Where every line of the process goes. One per process, so the format is chosen once and every line meets
 * the same secret scrubber, whichever logger (ours or the Temporal SDK's) wrote it.
 */
export class LogSink {
  constructor(
    readonly format: LogFormat = 'text',
    private readonly write: (line: string) => void = (line) => { process.stderr.write(`${line}\n`); },
    private readonly scrubber: SecretScrubber = processScrubber,
  ) {}

  /** Secrets of a resolved configuration: removed from every line written afterwards. */
  addSecrets(values: readonly string[]): void {
    this.scrubber.add(values);
  }

  emit(level: Level, msg: string, fields: LogFields, ts: Date = new Date()): void {
    const clean: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && typeof value !== 'function') clean[key] = value;
    }
    let line: string;
    if (this.format === 'json') {
      const { ts: _t, level: _l, msg: _m, ...rest } = clean;
      line = toJson({ ts: ts.toISOString(), level, msg, ...rest });
    } else {
      const pairs = Object.entries(clean).map(([key, value]) => ` ${key}=${textValue(value)}`).join('');
      line = `${ts.toISOString()} ${level.padEnd(5)} ${msg}${pairs}`;
    }
    this.write(this.scrubber.scrub(line));
  }
}

/** A logger with its own threshold and fixed fields, writing to a shared sink. */
export class Log {
  constructor(readonly sink: LogSink, readonly level: Level, readonly fields: LogFields = {}) {}

  enabled(level: Level): boolean {
    return RANK[level] >= RANK[this.level];
  }

  log(level: Level, msg: string, fields?: LogFields, ts?: Date): void {
    if (this.enabled(level)) this.sink.emit(level, msg, fields ? { ...this.fields, ...fields } : this.fields, ts);
  }

  debug(msg: string, fields?: LogFields): void { this.log('DEBUG', msg, fields); }
  info(msg: string, fields?: LogFields): void { this.log('INFO', msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.log('WARN', msg, fields); }
  error(msg: string, fields?: LogFields): void { this.log('ERROR', msg, fields); }

  /** The same logger with more fixed fields. */
  with(fields: LogFields): Log {
    return new Log(this.sink, this.level, { ...this.fields, ...fields });
  }

  atLevel(level: Level): Log {
    return new Log(this.sink, level, this.fields);
  }
}

let current = new Log(new LogSink(), 'INFO');

/** The process's logger: INFO as text on stderr until `configureProcessLog` says otherwise. */
export function processLog(): Log {
  return current;
}

export function configureProcessLog(options: { level: Level; format: LogFormat; write?: (line: string) => void }): Log {
  current = new Log(new LogSink(options.format, options.write), options.level);
  return current;
}
