// Parts every create request shares: owners, tags, and relationships the double does not model.
import { notFound } from '../apiError';
import type { EntityStore } from '../entityStore';
import type { Json } from '../types';

/**
 * Builds one entity type from its create request. `common` already holds the request's scalar fields
 * and resolved owners and tags; the builder adds the FQN and type-specific relationships.
 */
export type EntityBuilder = (store: EntityStore, request: Json, common: Json) => Json;

export function resolveOwners(store: EntityStore, owners: Json[] | undefined): Json[] {
  return (owners ?? []).map((owner) => store.ref(store.requireById(owner.type, owner.id)));
}

export function resolveTags(store: EntityStore, tags: Json[] | undefined): Json[] {
  return (tags ?? []).map((label) => {
    const type = label.source === 'Glossary' ? 'glossaryTerm' : 'tag';
    const tag = store.byFqn(type, label.tagFQN);
    if (!tag) throw notFound(type, label.tagFQN);
    return { ...label, name: label.name ?? tag.name };
  });
}

/** Domains, data products and data models are never stored here, so any reference to one is unknown. */
export function rejectUnsupported(request: Json): void {
  for (const fqn of request.domains ?? []) throw notFound('domain', fqn);
  for (const fqn of request.dataProducts ?? []) throw notFound('dataProduct', fqn);
  for (const fqn of request.dataModels ?? []) throw notFound('dashboardDataModel', fqn);
}
