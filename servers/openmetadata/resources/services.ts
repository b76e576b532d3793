// Dashboard and database services: top-level entities that may carry a connection.
import { quoteName } from '../fqn';
import type { EntityBuilder } from './common';

export const buildService: EntityBuilder = (_store, request, common) => ({
  ...common, fullyQualifiedName: quoteName(request.name), ...(request.connection ? { connection: request.connection } : {}), pipelines: [],
});
