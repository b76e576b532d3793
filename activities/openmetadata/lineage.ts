import type { EntityReference } from './types';

/** An edge of a lineage read (spec/type/entityLineage.json#/definitions/edge): entity ids, not references. */
export interface LineageEdge {
  fromEntity: string;
  toEntity: string;
  description?: string;
  lineageDetails?: Record<string, unknown>;
}

/** GET /lineage/{type}/name/{fqn} (spec/type/entityLineage.json). */
export interface EntityLineage {
  entity: EntityReference & { deleted?: boolean };
  nodes?: (EntityReference & { deleted?: boolean })[] | null;
  upstreamEdges?: LineageEdge[] | null;
  downstreamEdges?: LineageEdge[] | null;
}

/** A dashboard with the ids of the entities that already feed it directly. */
export interface DashboardUpstream {
  dashboard: EntityReference;
  upstream: ReadonlySet<string>;
  /** The live tables among them, so a name already feeding the dashboard needs no table lookup. */
  upstreamTables: readonly EntityReference[];
}

/**
 * The dashboard and its direct upstream ids from a lineage read of depth 1 up. Only edges that end at the
 * dashboard count: deeper levels, had the server sent them, are other entities' inputs.
 */
export function dashboardUpstream(lineage: EntityLineage): DashboardUpstream {
  const id = lineage.entity.id;
  const upstream = new Set<string>();
  for (const edge of lineage.upstreamEdges ?? []) if (edge.toEntity === id) upstream.add(edge.fromEntity);
  const upstreamTables = (lineage.nodes ?? [])
    .filter((n) => upstream.has(n.id) && n.type === 'table' && !n.deleted && typeof n.fullyQualifiedName === 'string')
    .map((n) => ({ id: n.id, type: 'table', fullyQualifiedName: n.fullyQualifiedName }));
  return { dashboard: { id, type: 'dashboard' }, upstream, upstreamTables };
}
