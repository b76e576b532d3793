// Tables: service.database.schema.table, with columns that get FQNs of their own.
import { notFound } from '../apiError';
import type { EntityStore } from '../entityStore';
import { quoteName, splitFqn } from '../fqn';
import type { Json } from '../types';
import type { EntityBuilder } from './common';

/** The table fields derived from its schema FQN; the service must exist, database and schema need not. */
export function tableParts(store: EntityStore, schemaFqn: string, name: string, columns: Json[]): Json {
  const [serviceName, database, schema] = splitFqn(schemaFqn);
  const svc = store.byFqn('databaseService', serviceName ?? '');
  if (!svc || database === undefined || schema === undefined) throw notFound('databaseSchema', schemaFqn);
  const fqn = `${schemaFqn}.${quoteName(name)}`;
  const dbFqn = `${serviceName}.${database}`;
  return {
    fullyQualifiedName: fqn, tableType: 'Regular', service: store.ref(svc), serviceType: svc.serviceType,
    database: { id: store.stableId(dbFqn), type: 'database', name: database.replace(/^"|"$/g, ''), fullyQualifiedName: dbFqn },
    databaseSchema: { id: store.stableId(schemaFqn), type: 'databaseSchema', name: schema.replace(/^"|"$/g, ''), fullyQualifiedName: schemaFqn },
    columns: columns.map((c, i) => ({ dataTypeDisplay: c.dataType?.toLowerCase(), ordinalPosition: i + 1, ...c, fullyQualifiedName: `${fqn}.${quoteName(c.name)}`, tags: c.tags ?? [] })),
  };
}

export const buildTable: EntityBuilder = (store, request, common) => ({
  ...common, ...tableParts(store, request.databaseSchema, request.name, request.columns),
});
