// OpenMetadata's own schemas here are 1.12.6's. A 2.0 double still checks bodies against them, after taking
// out the optional fields 2.0 added (its own rules check those); requests only 2.0 has are not checked there.
import type { Json } from '../types';

const PIPELINE_KEYS_2_0 = ['markDeletedCharts', 'includeUsage'];
const STEP_KEYS_2_0 = ['operationMetrics', 'sourceTimeMs', 'sinkTimeMs'];

function without(value: unknown, keys: string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Json).filter(([key]) => !keys.includes(key)));
}

/** The body as a 1.12.6 schema would see it: 2.0's added optional fields removed. */
export function asRelease112(schema: string, body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Json;
  switch (schema) {
    case 'api/services/createDashboardService.json':
      return without(b, ['style']);
    case 'api/lineage/addLineage.json':
      return b.edge?.lineageDetails ? { ...b, edge: { ...b.edge, lineageDetails: without(b.edge.lineageDetails, ['tempLineageTables']) } } : b;
    case 'type/entityLineage.json#/definitions/lineageDetails':
      return without(b, ['tempLineageTables']);
    case 'api/services/ingestionPipelines/createIngestionPipeline.json':
      return b.sourceConfig?.config ? { ...b, sourceConfig: { ...b.sourceConfig, config: without(b.sourceConfig.config, PIPELINE_KEYS_2_0) } } : b;
    case 'entity/services/ingestionPipelines/ingestionPipeline.json#/definitions/pipelineStatus':
      return Array.isArray(b.status) ? { ...b, status: b.status.map((step: unknown) => without(step, STEP_KEYS_2_0)) } : b;
    default:
      return b;
  }
}
