// Classifications and their tags; a tag sits under its classification or under a parent tag.
import { quoteName, splitFqn } from '../fqn';
import type { EntityBuilder } from './common';

export const buildClassification: EntityBuilder = (_store, request, common) => ({
  ...common, fullyQualifiedName: quoteName(request.name), provider: request.provider ?? 'user', mutuallyExclusive: request.mutuallyExclusive ?? false,
});

export const buildTag: EntityBuilder = (store, request, common) => {
  const { classification, parent } = request;
  const cls = store.requireByFqn('classification', classification ?? splitFqn(parent ?? '')[0]);
  const parentTag = parent ? store.requireByFqn('tag', parent) : undefined;
  const base = parentTag ?? cls;
  return {
    ...common, fullyQualifiedName: `${base.fullyQualifiedName}.${quoteName(request.name)}`, classification: store.ref(cls),
    ...(parentTag ? { parent: store.ref(parentTag) } : {}), provider: request.provider ?? 'user', mutuallyExclusive: request.mutuallyExclusive ?? false,
  };
};
