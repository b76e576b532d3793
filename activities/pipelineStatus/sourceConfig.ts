import type { OpenMetadataClient } from '../openmetadata/client';
import { behaviourFor } from '../openmetadata/serverBehaviour';

/** Keys of a dashboard pipeline's config that only OpenMetadata 2.0 knows (1.12 refuses unknown keys). */
const KEYS_2_0 = ['markDeletedCharts', 'includeUsage'];

/** The file's sourceConfig as the server's release takes it in a pipeline it creates. */
export async function pipelineSourceConfig(client: OpenMetadataClient, sourceConfig: Record<string, any>): Promise<Record<string, unknown>> {
  if (behaviourFor(await client.version()).behaviour.name !== '1.12') return sourceConfig;
  const config = Object.fromEntries(Object.entries(sourceConfig.config ?? {}).filter(([key]) => !KEYS_2_0.includes(key)));
  return { ...sourceConfig, config };
}
