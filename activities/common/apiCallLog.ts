import { Context } from '@temporalio/activity';
import type { Log } from './log';
import { redactQuery } from './logRedaction';

export interface ApiCall {
  service: string;
  method: string;
  /** Path with its query string, as sent (secret-looking parameters are masked here). */
  path: string;
  /** HTTP status, or null when no answer came (the error code says why). */
  status: number | null;
  startedAt: number;
  retryAfterMs?: number | null;
  errorCode?: string;
}

/** The attempt of the running activity (a retried one says so); none outside an activity. */
function activityAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}

/** One DEBUG line per remote API call. Never sees headers, so credentials in them cannot reach the log. */
export function logApiCall(log: Log, call: ApiCall): void {
  if (!log.enabled('DEBUG')) return;
  const attempt = activityAttempt();
  log.debug('api call', {
    service: call.service,
    method: call.method.toUpperCase(),
    path: redactQuery(call.path),
    status: call.status ?? 'none',
    ms: Date.now() - call.startedAt,
    ...(call.errorCode ? { error: call.errorCode } : {}),
    ...(call.status === 429 || call.status === 503 ? { rateLimited: true, retryAfterMs: call.retryAfterMs ?? null } : {}),
    ...(attempt !== undefined && attempt > 1 ? { attempt } : {}),
  });
}
