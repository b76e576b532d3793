/**
 * Sliding-window limiter: at most `perMinute` requests start in any 60 s window. Hex counts requests per user
 * over a window that resets 60 s after its first request, so staying under the count in every sliding window
 * never trips it.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly perMinute: number, private readonly windowMs = 60_000) {}

  /** Resolves when one more request may start. Calls are served in order; `onWait` hears of each wait for a slot. */
  acquire(onWait?: (ms: number) => void): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(onWait));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(onWait?: (ms: number) => void): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.starts.length && this.starts[0] <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.perMinute) {
        this.starts.push(now);
        return;
      }
      const wait = this.starts[0] + this.windowMs - now + 1;
      onWait?.(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

const limiters = new Map<string, SlidingWindowLimiter>();

/** One limiter per Hex host and token identity in this process, shared by all activities. */
export function limiterFor(key: string, perMinute: number): SlidingWindowLimiter {
  const id = `${key}|${perMinute}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(perMinute);
    limiters.set(id, limiter);
  }
  return limiter;
}
