import { ApplicationFailure } from '@temporalio/common';
import { ConfigError } from './config/errors';
import { redact } from './config/secrets';
import { ServiceError } from './common/httpErrors';
import { RetryAfterTooLong } from './common/retry';
import { WarehouseError } from './warehouses/errors';

/**
 * Failure types the client maps to exit code 2: nothing written, or (a listing that cannot end) nothing
 * marked deleted.
 */
export const SETUP_FAILURE_TYPES = ['ConfigError', 'AuthenticationError', 'ServiceUnreachable', 'ListingLoop'] as const;

/** A per-item failure (one entity rejected) as opposed to a failure of the whole page. */
export function isItemFailure(error: unknown): error is ServiceError {
  return error instanceof ServiceError && error.status !== null && error.status >= 400 && error.status < 500
    && error.status !== 401 && error.status !== 403 && error.status !== 429;
}

const CREDENTIAL_OF: Record<string, string> = {
  Hex: 'the Hex token (source.serviceConnection.config.token)',
  OpenMetadata: 'the JWT (workflowConfig.openMetadataServerConfig.securityConfig.jwtToken)',
};

/**
 * Turns any error into a Temporal failure whose retry behaviour matches its cause, with every secret
 * removed from the message.
 */
export function toActivityFailure(error: unknown, secrets: readonly string[], setupPhase = false): ApplicationFailure {
  const clean = (text: string) => redact(text, secrets);
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof ConfigError) {
    return ApplicationFailure.create({ type: 'ConfigError', message: clean(error.message), nonRetryable: true, details: [error.problems.map(clean)] });
  }
  if (error instanceof WarehouseError) {
    return ApplicationFailure.create({
      type: error.type,
      message: clean(error.message),
      nonRetryable: error.nonRetryable,
      details: [{ warehouse: error.warehouse, setting: error.setting }],
    });
  }
  if (error instanceof RetryAfterTooLong) {
    return ApplicationFailure.create({ type: 'RetryAfterTooLong', message: clean(error.message), nonRetryable: true });
  }
  if (error instanceof ServiceError) {
    if (error.isAuthFailure) {
      const credential = CREDENTIAL_OF[error.service] ?? `the ${error.service} credentials`;
      return ApplicationFailure.create({
        type: 'AuthenticationError',
        nonRetryable: true,
        message: clean(`${error.service} rejected ${credential} with ${error.status}: ${error.message}`),
      });
    }
    if (error.status === 429 || error.status === 503) {
      return ApplicationFailure.create({
        type: 'RateLimited',
        message: clean(error.message),
        nextRetryDelay: error.retryAfterMs ?? undefined,
      });
    }
    if (error.isUnreachable && setupPhase) {
      return ApplicationFailure.create({ type: 'ServiceUnreachable', message: clean(error.message) });
    }
    return ApplicationFailure.create({ type: 'ServiceError', message: clean(error.message), nonRetryable: !error.isRetryable });
  }
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ type: 'UnexpectedError', message: clean(message) });
}
