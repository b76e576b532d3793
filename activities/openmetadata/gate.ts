import type { AxiosRequestConfig } from 'axios';
import type { JsonResponse } from '../common/http';
import { ServiceError } from '../common/httpErrors';
import { jitteredBackoff } from '../common/retry';
import { ConfigError } from '../config/errors';

/** Requests in flight toward one OpenMetadata server from one worker process, unless configured otherwise. */
export const DEFAULT_OPENMETADATA_CONCURRENCY = 16;

export interface GateOptions {
  /** Most requests in flight at once (the limit grows back to this after congestion). */
  maxConcurrency: number;
  /** Successful answers that raise a shrunken limit by one. */
  growAfterSuccesses: number;
  /** Times a request answered 429/503 is sent again in place before the error reaches the activity's retry. */
  maxRetries: number;
  /** First backoff when the server gives no Retry-After; doubled per attempt, with jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /**
   * Most time one request spends waiting in place, all retries together; a longer wait is left to the
   * activity's retry (which takes Retry-After as its next delay). Kept below the activities' heartbeat timeouts.
   */
  maxInPlaceWaitMs: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  maxConcurrency: DEFAULT_OPENMETADATA_CONCURRENCY,
  growAfterSuccesses: 8,
  maxRetries: 4,
  baseBackoffMs: 250,
  maxBackoffMs: 8_000,
  maxInPlaceWaitMs: 10_000,
};

/** The answers that mean "slow down": the server is overloaded or rate limiting. */
export function isBackpressure(error: unknown): error is ServiceError {
  return error instanceof ServiceError && (error.status === 429 || error.status === 503);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Bounds the requests in flight toward one server and backs off when it pushes back (AIMD): a 429 or 503
 * halves the allowed concurrency (once per congestion event: answers to requests sent before the cut do not
 * cut again), every `growAfterSuccesses` successes add one back, and the request waits (Retry-After, else
 * exponential backoff with jitter) and is sent again in place a bounded number of times. Other errors,
 * 4xx included, pass through untouched.
 */
export class RequestGate {
  private allowed: number;
  private inFlight = 0;
  private successes = 0;
  /** Counts concurrency cuts; a request remembers the one it was sent under. */
  private cuts = 0;
  private readonly queue: (() => void)[] = [];
  readonly options: GateOptions;

  constructor(options: Partial<GateOptions> = {}) {
    this.options = { ...DEFAULT_GATE_OPTIONS, ...options };
    if (!(Number.isInteger(this.options.maxConcurrency) && this.options.maxConcurrency >= 1)) {
      throw new RangeError(`OpenMetadata concurrency must be a whole number >= 1, not ${this.options.maxConcurrency}`);
    }
    this.allowed = this.options.maxConcurrency;
  }

  /** Requests currently allowed in flight. */
  get concurrency(): number {
    return this.allowed;
  }

  /** Requests in flight now. */
  get active(): number {
    return this.inFlight;
  }

  async run<T>(send: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      // A request being retried goes ahead of new ones, so a backlog cannot starve it.
      await this.acquire(attempt > 0);
      const sentUnder = this.cuts;
      let result: T;
      try {
        result = await send();
      } catch (error) {
        this.release();
        if (!isBackpressure(error)) throw error;
        this.cut(sentUnder);
        const wait = this.waitBefore(attempt, error.retryAfterMs);
        if (attempt >= this.options.maxRetries || waited + wait > this.options.maxInPlaceWaitMs) throw error;
        waited += wait;
        await sleep(wait);
        continue;
      }
      this.release();
      this.succeeded();
      return result;
    }
  }

  private waitBefore(attempt: number, retryAfterMs: number | null): number {
    return retryAfterMs ?? jitteredBackoff(attempt, this.options.baseBackoffMs, this.options.maxBackoffMs);
  }

  private acquire(first: boolean): Promise<void> {
    if (this.inFlight < this.allowed && this.queue.length === 0) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const start = () => {
        this.inFlight++;
        resolve();
      };
      if (first) this.queue.unshift(start);
      else this.queue.push(start);
    });
  }

  private release(): void {
    this.inFlight--;
    this.drain();
  }

  private drain(): void {
    while (this.inFlight < this.allowed && this.queue.length > 0) this.queue.shift()!();
  }

  private cut(sentUnder: number): void {
    this.successes = 0;
    if (sentUnder !== this.cuts) return;
    this.cuts++;
    this.allowed = Math.max(1, Math.floor(this.allowed / 2));
  }

  private succeeded(): void {
    if (this.allowed >= this.options.maxConcurrency) return;
    if (++this.successes < this.options.growAfterSuccesses) return;
    this.successes = 0;
    this.allowed++;
    this.drain();
  }
}

const gates = new Map<string, RequestGate>();

/** The concurrency `HEXMETA_OPENMETADATA_CONCURRENCY` asks for, else the default. */
export function openMetadataConcurrency(env: NodeJS.ProcessEnv): number {
  const raw = env.HEXMETA_OPENMETADATA_CONCURRENCY;
  if (raw === undefined || raw.trim() === '') return DEFAULT_OPENMETADATA_CONCURRENCY;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError([`HEXMETA_OPENMETADATA_CONCURRENCY: must be a whole number >= 1, not ${JSON.stringify(raw)}`]);
  }
  return value;
}

/**
 * One gate per OpenMetadata server in this process, shared by every configuration and activity that talks to
 * it: the server's capacity is what is being shared, whichever ingestion asks.
 */
export function gateFor(hostPort: string, maxConcurrency = DEFAULT_OPENMETADATA_CONCURRENCY): RequestGate {
  const key = `${hostPort.replace(/\/+$/, '')}|${maxConcurrency}`;
  let gate = gates.get(key);
  if (!gate) {
    gate = new RequestGate({ maxConcurrency });
    gates.set(key, gate);
  }
  return gate;
}

/** The one method of JsonHttp the OpenMetadata client calls. */
export interface JsonRequester {
  request<T>(config: AxiosRequestConfig, okStatuses?: number[]): Promise<JsonResponse<T>>;
}

/** `http` with every request passed through `gate`. */
export function gated(http: JsonRequester, gate: RequestGate): JsonRequester {
  return {
    request<T>(config: AxiosRequestConfig, okStatuses?: number[]) {
      return gate.run(() => http.request<T>(config, okStatuses));
    },
  };
}
