import { scrub } from './scrubber';

/** A failed call to a remote service, described without credentials. */
export class ServiceError extends Error {
  constructor(
    readonly service: 'Hex' | 'OpenMetadata' | string,
    readonly status: number | null,
    message: string,
    /** Milliseconds the server asked us to wait (Retry-After), when it did. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }

  /** No response at all: refused, reset, timed out, DNS. */
  get isUnreachable(): boolean {
    return this.status === null;
  }

  get isRetryable(): boolean {
    return this.status === null || this.status === 429 || this.status === 408 || this.status >= 500;
  }
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | null {
  if (typeof header !== 'string' || !header.trim()) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A short reason from an error body of any of the shapes services use ({message}, {reason, details}, text). */
export function reasonFromBody(body: unknown): string {
  // Scrubbed before it is cut: a secret cut in two would no longer be recognised.
  if (typeof body === 'string') return scrub(body).slice(0, 300);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const parts = [b.message, b.reason, b.details].filter((p) => typeof p === 'string' && p) as string[];
    if (parts.length) return scrub(parts.join(': ')).slice(0, 300);
  }
  return '';
}
