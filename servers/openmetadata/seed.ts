// Entities tests put in place directly, bypassing the API, as an administrator would have created them.
import { randomUUID } from 'node:crypto';
import { collectionOf } from './collections';
import type { EntityStore } from './entityStore';
import { quoteName, splitFqn } from './fqn';
import { fromRequest } from './resources/fromRequest';
import { tableParts } from './resources/tables';
import type { RequestValidator } from './rules/requestValidator';
import type { Json, OpenMetadataServerOptions } from './types';

/** Stores a first version authored by `admin`; returns the new id. */
function saveSeeded(store: EntityStore, type: string, fields: Json): string {
  const id = randomUUID();
  store.save(type, { id, ...fields, version: 0.1, updatedAt: Date.now(), updatedBy: 'admin', href: store.href(collectionOf(type).path, id), deleted: false });
  return id;
}

export function seedPeople(store: EntityStore, type: 'user' | 'team', people: OpenMetadataServerOptions['users']): void {
  for (const person of people ?? []) {
    saveSeeded(store, type, {
      name: person.name, fullyQualifiedName: quoteName(person.name), email: person.email, displayName: person.displayName ?? person.name,
      ...(type === 'user' ? { isBot: false, isAdmin: false } : { teamType: 'Group' }),
    });
  }
}

/** A seeded entity is still checked as the create request an administrator would have sent. */
function checkSeed(validator: RequestValidator, schema: string, request: Json): void {
  const problem = validator.check(schema, request);
  if (problem) throw new Error(`seeded ${schema.replace(/^.*\/create|\.json$/g, '')} ${request.name} is not a valid request: ${problem}`);
}

export function seedDatabaseService(store: EntityStore, validator: RequestValidator, name: string, serviceType: string, connectionConfig?: Record<string, unknown>): void {
  // The connection is stored as given (tests seed masked secrets, as OpenMetadata shows them): not checked.
  checkSeed(validator, 'api/services/createDatabaseService.json', { name, serviceType });
  const entity = fromRequest(store, 'databaseService', { name, serviceType, ...(connectionConfig ? { connection: { config: connectionConfig } } : {}) });
  saveSeeded(store, 'databaseService', entity);
}

/** `fqn` is service.database.schema.table; the database service must already exist. */
export function seedTable(store: EntityStore, validator: RequestValidator, fqn: string, opts: { columns?: string[] } = {}): { id: string } {
  const parts = splitFqn(fqn);
  if (parts.length !== 4) throw new Error(`table FQN must be service.database.schema.table: ${fqn}`);
  const columns = (opts.columns ?? ['id']).map((name) => ({ name, dataType: 'VARCHAR', dataLength: 256 }));
  const name = parts[3].replace(/^"(.*)"$/, '$1');
  checkSeed(validator, 'api/data/createTable.json', { name, databaseSchema: parts.slice(0, 3).join('.'), columns });
  const entity = { name, ...tableParts(store, parts.slice(0, 3).join('.'), name, columns), owners: [], tags: [], followers: [] };
  return { id: saveSeeded(store, 'table', entity) };
}
