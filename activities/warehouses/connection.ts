import { registerSecrets } from '../common/scrubber';
import { collectSecrets } from '../config/secrets';
import type { OpenMetadataClient } from '../openmetadata/client';

/** OpenMetadata masks secrets for non-bot callers with this value. */
const MASK = '*********';

function hasMaskedOrExternalSecret(value: unknown): boolean {
  if (typeof value === 'string') return value === MASK || value.startsWith('secret:/');
  if (Array.isArray(value)) return value.some(hasMaskedOrExternalSecret);
  if (value && typeof value === 'object') return Object.values(value).some(hasMaskedOrExternalSecret);
  return false;
}

export type ConnectionLookup =
  | { config: Record<string, unknown>; origin: 'openmetadata' | 'workflow file' }
  | { problem: string };

/**
 * The connection of a database service: from OpenMetadata (bots get it unmasked); where that is absent or
 * masked, from the workflow file's `warehouses:` entry of the same name (same shape as OpenMetadata's
 * connection config).
 */
export async function findWarehouseConnection(
  openMetadata: OpenMetadataClient,
  warehouses: Record<string, unknown> | undefined,
  service: string,
): Promise<ConnectionLookup> {
  const stored = await openMetadata.getDatabaseService(service);
  const config = stored?.connection?.config;
  if (config && !hasMaskedOrExternalSecret(config)) {
    registerSecrets(collectSecrets(config).map((s) => s.value));
    return { config, origin: 'openmetadata' };
  }
  const local = warehouses?.[service];
  if (local && typeof local === 'object') return { config: local as Record<string, unknown>, origin: 'workflow file' };
  const why = !stored
    ? 'no such database service in OpenMetadata'
    : !config ? 'its connection is not stored in OpenMetadata' : 'its stored connection has masked or external secrets';
  return { problem: `${why}; add a warehouses.${service} entry (its connection config) to the workflow file` };
}
