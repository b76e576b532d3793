// Turns a create request of any supported type into the entity it describes.
import { ApiError } from '../apiError';
import type { EntityStore } from '../entityStore';
import type { Json } from '../types';
import { buildClassification, buildTag } from './classifications';
import { rejectUnsupported, resolveOwners, resolveTags, type EntityBuilder } from './common';
import { buildChart, buildDashboard } from './dashboards';
import { buildIngestionPipeline } from './ingestionPipelines';
import { buildService } from './services';
import { buildTable } from './tables';

const BUILDERS = new Map<string, EntityBuilder>([
  ['dashboardService', buildService],
  ['databaseService', buildService],
  ['dashboard', buildDashboard],
  ['chart', buildChart],
  ['classification', buildClassification],
  ['tag', buildTag],
  ['table', buildTable],
  ['ingestionPipeline', buildIngestionPipeline],
]);

/** Builds the entity a create request describes, without id, version or merge with a stored one. */
export function fromRequest(store: EntityStore, type: string, request: Json): Json {
  rejectUnsupported(request);
  // Relationship fields are resolved by the type's builder; everything else is copied as sent.
  const { owners, tags, service: _s, charts: _ch, dashboards: _d, classification: _cl, parent: _p, databaseSchema: _ds, connection: _co, ...scalars } = request;
  const common = { ...scalars, owners: resolveOwners(store, owners), tags: resolveTags(store, tags), followers: [], domains: [], dataProducts: [] };
  const build = BUILDERS.get(type);
  if (!build) throw new ApiError(405, `HTTP 405 Method Not Allowed`);
  return build(store, request, common);
}
