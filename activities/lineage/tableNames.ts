import { foldIdentifier, type DialectRules } from './dialectRules';

/** One part of a dotted name as written: its unescaped text and whether it was quoted. */
export interface NamePart {
  text: string;
  quoted: boolean;
}

export interface NameDefaults {
  database: string | null;
  schema: string | null;
}

export interface QualifiedName {
  name: string;
  /** Set when the name could not be completed to the dialect's full form. */
  warning: string | null;
}

/** Stored-form parts; BigQuery lets one backtick run hold a whole `project.dataset.table` path. */
export function storedParts(parts: NamePart[], rules: DialectRules): string[] {
  const stored: string[] = [];
  for (const part of parts) {
    const pieces = rules.bigQueryNames && part.quoted ? part.text.split('.') : [part.text];
    for (const piece of pieces) stored.push(foldIdentifier(piece, part.quoted, rules));
  }
  return stored;
}

/** Completes a table name with the defaults so it reads `database.schema.table` (or `database.table`). */
export function qualifyName(parts: string[], defaults: NameDefaults, rules: DialectRules): QualifiedName {
  const want = rules.nameParts;
  if (rules.bigQueryNames && parts.length >= 2 && parts[parts.length - 2].toUpperCase() === 'INFORMATION_SCHEMA') {
    return informationSchemaName(parts, defaults);
  }
  let names = parts.slice();
  if (names.length > want) names = names.slice(names.length - want);
  if (want === 2) {
    // In MySQL and ClickHouse "schema" and "database" are the same thing.
    const database = defaults.database ?? defaults.schema;
    if (names.length === 1 && database) names = [database, ...names];
  } else {
    if (names.length === 2 && defaults.database) names = [defaults.database, ...names];
    if (names.length === 1 && defaults.schema) {
      names = defaults.database ? [defaults.database, defaults.schema, ...names] : [defaults.schema, ...names];
    }
  }
  const name = names.join('.');
  const warning = names.length < want ? `table "${name}" is not fully qualified and no default completes it` : null;
  return { name, warning };
}

/**
 * BigQuery INFORMATION_SCHEMA views hang off a qualifier (`region-us.INFORMATION_SCHEMA.JOBS`,
 * `dataset.INFORMATION_SCHEMA.COLUMNS`) or off the project itself (`INFORMATION_SCHEMA.SCHEMATA`): the qualifier
 * plays the dataset's part, and the default project completes the name as it does `dataset.table`.
 */
function informationSchemaName(parts: string[], defaults: NameDefaults): QualifiedName {
  const view = parts.slice(-2);
  const qualifier = parts.slice(0, -2).slice(-2);
  const names = qualifier.length === 2 || !defaults.database ? [...qualifier, ...view] : [defaults.database, ...qualifier, ...view];
  const name = names.join('.');
  const complete = qualifier.length === 2 || defaults.database;
  return { name, warning: complete ? null : `table "${name}" is not fully qualified and no default completes it` };
}
