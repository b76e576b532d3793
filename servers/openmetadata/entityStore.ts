// In-memory state of the double: entities by id and FQN, plus lineage edges between them.
import { randomUUID } from 'node:crypto';
import { notFound } from './apiError';
import { collectionOf } from './collections';
import type { Json, LineageEdgeView } from './types';

/** The `include` query parameter: 'non-deleted', 'deleted' or 'all'. */
export function included(entity: Json, include: string): boolean {
  return include === 'all' || (include === 'deleted' ? entity.deleted === true : entity.deleted !== true);
}

/** Lineage edges keyed `fromId|toId`, indexed by either end so a lineage read does not visit every edge. */
export class EdgeMap extends Map<string, LineageEdgeView> {
  private readonly ends = new Map<string, Set<string>>();

  override set(key: string, edge: LineageEdgeView): this {
    for (const id of [edge.fromId, edge.toId]) this.ends.set(id, (this.ends.get(id) ?? new Set()).add(key));
    return super.set(key, edge);
  }

  override delete(key: string): boolean {
    const edge = this.get(key);
    if (edge) for (const id of [edge.fromId, edge.toId]) this.ends.get(id)?.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.ends.clear();
    super.clear();
  }

  /** Edges with `id` at either end. */
  touching(id: string): LineageEdgeView[] {
    return [...(this.ends.get(id) ?? [])].flatMap((key) => this.get(key) ?? []);
  }
}

export class EntityStore {
  /** hostPort including /api; known once the server listens, and used for every href. */
  apiUrl = '';
  /** Keyed `fromId|toId`. */
  readonly edges = new EdgeMap();
  private readonly byId = new Map<string, Json>();
  private readonly types = new Map<string, string>();
  private readonly fqnIndex = new Map<string, Map<string, string>>();
  private readonly syntheticIds = new Map<string, string>();

  /** Databases and schemas are not stored as entities; their references still need ids stable per FQN. */
  stableId(key: string): string {
    if (!this.syntheticIds.has(key)) this.syntheticIds.set(key, randomUUID());
    return this.syntheticIds.get(key)!;
  }

  href(collectionPath: string, id: string): string {
    return `${this.apiUrl}/v1/${collectionPath}/${id}`;
  }

  /** Stores a new entity or replaces the stored one with the same id. */
  save(type: string, entity: Json): void {
    this.byId.set(entity.id, entity);
    this.types.set(entity.id, type);
    if (!this.fqnIndex.has(type)) this.fqnIndex.set(type, new Map());
    this.fqnIndex.get(type)!.set(entity.fullyQualifiedName, entity.id);
  }

  /** Removes an entity for good, with every lineage edge touching it. */
  forget(id: string): void {
    const entity = this.byId.get(id);
    if (!entity) return;
    this.fqnIndex.get(this.types.get(id)!)?.delete(entity.fullyQualifiedName);
    this.byId.delete(id);
    this.types.delete(id);
    for (const edge of this.edges.touching(id)) this.edges.delete(`${edge.fromId}|${edge.toId}`);
  }

  get(id: string): Json | undefined {
    return this.byId.get(id);
  }

  typeOf(id: string): string | undefined {
    return this.types.get(id);
  }

  /** Every entity, deleted or not, in insertion order. */
  all(): Json[] {
    return [...this.byId.values()];
  }

  ofType(type: string): Json[] {
    return this.all().filter((e) => this.types.get(e.id) === type);
  }

  /** Whether the FQN is taken, soft-deleted entities included. */
  hasFqn(type: string, fqn: string): boolean {
    return this.fqnIndex.get(type)?.has(fqn) ?? false;
  }

  byFqn(type: string, fqn: string, include = 'non-deleted'): Json | undefined {
    const id = this.fqnIndex.get(type)?.get(fqn);
    const entity = id ? this.byId.get(id) : undefined;
    return entity && included(entity, include) ? entity : undefined;
  }

  requireByFqn(type: string, fqn: string): Json {
    const entity = this.byFqn(type, fqn);
    if (!entity) throw notFound(type, fqn);
    return entity;
  }

  requireById(type: string, id: string, include = 'non-deleted'): Json {
    const entity = this.byId.get(id);
    if (!entity || this.types.get(id) !== type || !included(entity, include)) throw notFound(type, id);
    return entity;
  }

  /** The EntityReference other entities embed to point at this one. */
  ref(entity: Json): Json {
    const type = this.types.get(entity.id)!;
    return {
      id: entity.id, type, name: entity.name, fullyQualifiedName: entity.fullyQualifiedName,
      ...(entity.displayName !== undefined ? { displayName: entity.displayName } : {}),
      deleted: entity.deleted === true, href: this.href(collectionOf(type).path, entity.id),
    };
  }
}
