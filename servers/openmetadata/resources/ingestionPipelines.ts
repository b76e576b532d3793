// Ingestion pipelines: children of a service (given by reference), with the run statuses kept apart.
import { quoteName } from '../fqn';
import type { EntityBuilder } from './common';

export const buildIngestionPipeline: EntityBuilder = (store, request, common) => {
  const service = store.requireById(request.service.type, request.service.id);
  return {
    ...common,
    fullyQualifiedName: `${service.fullyQualifiedName}.${quoteName(request.name)}`,
    service: store.ref(service),
    deployed: false,
    enabled: true,
  };
};
