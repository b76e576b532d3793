// Writes with OpenMetadata's PUT semantics: create, or merge into the stored entity and bump its version.
import { randomUUID } from 'node:crypto';
import type { Collection } from './collections';
import type { EntityStore } from './entityStore';
import { BOT, keepMaskedSecrets, nextVersion, sameContent } from './mergeRules';
import { fromRequest } from './resources/fromRequest';
import type { Json } from './types';

export interface WriteResult {
  status: number;
  entity: Json;
  /** Value of the X-OpenMetadata-Change header. */
  change: string;
}

/** PUT semantics: create (201) or update (200) with OpenMetadata's merge rules; restores soft-deleted ones. */
export function createOrUpdate(store: EntityStore, collection: Collection, request: Json): WriteResult {
  const next = fromRequest(store, collection.type, request);
  const existing = store.byFqn(collection.type, next.fullyQualifiedName, 'all');
  const now = Date.now();
  if (!existing) {
    const entity = { id: randomUUID(), ...next, version: 0.1, updatedAt: now, updatedBy: BOT, href: '', deleted: false };
    entity.href = store.href(collection.path, entity.id);
    store.save(collection.type, entity);
    return { status: 201, entity, change: 'entityCreated' };
  }
  const tags = [...existing.tags];
  for (const label of next.tags) if (!tags.some((t: Json) => t.tagFQN === label.tagFQN)) tags.push(label);
  const merged: Json = {
    ...next,
    id: existing.id, href: existing.href, followers: existing.followers ?? [],
    // Usage is reported through /usage, never by an entity PUT.
    ...(existing.usageSummary ? { usageSummary: existing.usageSummary } : {}),
    description: existing.description ? existing.description : next.description,
    owners: next.owners.length > 0 ? next.owners : existing.owners,
    tags,
    // A PUT without a connection (storeServiceConnection: false) leaves the stored one alone.
    ...(next.connection ? { connection: keepMaskedSecrets(next.connection, existing.connection) } : existing.connection ? { connection: existing.connection } : {}),
    version: existing.version, updatedAt: existing.updatedAt, updatedBy: existing.updatedBy, deleted: false,
  };
  if (merged.description === undefined) delete merged.description;
  return { status: 200, ...saveChange(store, collection.type, existing, merged, now) };
}

/** Stores `next` as a new version unless it matches the stored entity. */
export function saveChange(store: EntityStore, type: string, existing: Json, next: Json, now = Date.now()): { entity: Json; change: string } {
  if (sameContent(next, existing)) return { entity: existing, change: 'entityNoChange' };
  const entity = { ...next, version: nextVersion(existing.version), updatedAt: now, updatedBy: BOT };
  store.save(type, entity);
  return { entity, change: 'entityUpdated' };
}
