import { ServiceError } from './httpErrors';

/** How long a request may keep trying in place before its error goes to the activity's own retries. */
export interface RetryBudget {
  /** Tries in all, the first included. */
  maxTries: number;
  /** First backoff when the server gives no Retry-After; doubled per try, with jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Most time spent waiting between tries of one request, all waits together. */
  maxInPlaceWaitMs: number;
}

/**
 * A wait before try `attempt + 1`: half of the exponential ceiling fixed, half random, so that requests
 * failed together do not come back together.
 */
export function jitteredBackoff(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A failure that may pass on its own: no answer (reset, refused, timed out), 408, 429 or a 5xx. */
export function isTransient(error: unknown): error is ServiceError {
  return error instanceof ServiceError && error.isRetryable;
}

/** The server asked for a longer wait than this run accepts: the run fails with the server's own words. */
export class RetryAfterTooLong extends Error {
  constructor(readonly service: string, readonly retryAfterMs: number, readonly limitMs: number, serverMessage: string) {
    super(`${service} asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), more than the ${Math.round(limitMs / 1000)} s `
      + `this run waits (hexmeta.hexMaxRetryAfterSeconds): ${serverMessage}`);
    this.name = 'RetryAfterTooLong';
  }
}

export interface RetryOptions {
  budget: RetryBudget;
  /** Longest Retry-After honoured at all; beyond it the request fails with RetryAfterTooLong. */
  maxRetryAfterMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told of each wait the server asked for (Retry-After), before it is waited here or by the activity's retry. */
  onRetryAfter?: (ms: number) => void;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends again in place what failed transiently, within the budget; a Retry-After is waited as asked. The last
 * error (still carrying its Retry-After) reaches the caller when the budget is spent, so the activity's retry
 * policy takes over for longer outages.
 */
export async function retryTransient<T>(send: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { budget, maxRetryAfterMs } = options;
  const sleep = options.sleep ?? realSleep;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const asked = error.retryAfterMs;
      if (asked !== null && asked > maxRetryAfterMs) throw new RetryAfterTooLong(error.service, asked, maxRetryAfterMs, error.message);
      const wait = asked ?? jitteredBackoff(attempt, budget.baseBackoffMs, budget.maxBackoffMs, options.random);
      if (asked !== null) options.onRetryAfter?.(asked);
      if (attempt + 1 >= budget.maxTries || waited + wait > budget.maxInPlaceWaitMs) throw error;
      waited += wait;
      await sleep(wait);
    }
  }
}
