// Loads OpenMetadata's own JSON Schemas from a folder (OPENMETADATA_SPEC_DIR) and hands out cached Ajv
// validators for request bodies. Optional: the local server always checks its own request rules, and these too
// when a folder is given.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SCHEMA_BASE_URI = 'https://open-metadata.org/schema/';
const NON_STANDARD_FORMATS = ['password', 'utc-millisec', 'url', 'URI', 'string', 'queryBuilder', 'timezone', 'int64'];

export type SchemaFiles = Map<string, Record<string, unknown>>;

function readSchemaDir(dir: string): SchemaFiles {
  const files: SchemaFiles = new Map();
  const visit = (current: string) => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry.endsWith('.json')) files.set(relative(dir, full).split(sep).join('/'), JSON.parse(readFileSync(full, 'utf8')));
    }
  };
  visit(dir);
  return files;
}

/** Java schemas use the inline flag (?U) for Unicode classes; JavaScript rejects it and has `u` instead. */
function regExpFactory(pattern: string, flags: string): RegExp {
  return new RegExp(pattern.replace(/^\(\?U\)/, ''), flags);
}
regExpFactory.code = 'new RegExp';

export interface OpenMetadataSpec {
  files: SchemaFiles;
  /** Validator for one schema file (relative path such as `api/data/createDashboard.json`), compiled on first use. */
  validator(relativePath: string): ValidateFunction;
  /** Top-level property names of a schema file, e.g. the allowed `fields` of an entity. */
  propertyNames(relativePath: string): string[];
  /** Whether the spec has this schema file. */
  has(relativePath: string): boolean;
}

function buildSpec(files: SchemaFiles): OpenMetadataSpec {
  const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: regExpFactory } });
  addFormats(ajv);
  for (const format of NON_STANDARD_FORMATS) ajv.addFormat(format, true);
  for (const [path, schema] of files) ajv.addSchema({ ...schema, $id: SCHEMA_BASE_URI + path });
  const compiled = new Map<string, ValidateFunction>();
  return {
    files,
    validator(relativePath) {
      let validate = compiled.get(relativePath);
      if (!validate) {
        validate = ajv.getSchema(SCHEMA_BASE_URI + relativePath);
        if (!validate) throw new Error(`schema not in the OpenMetadata spec: ${relativePath}`);
        compiled.set(relativePath, validate);
      }
      return validate;
    },
    propertyNames(relativePath) {
      const schema = files.get(relativePath);
      if (!schema) throw new Error(`schema not in the OpenMetadata spec: ${relativePath}`);
      return Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    },
    // A path may name a definition inside a file (`file.json#/definitions/x`).
    has: (relativePath) => files.has(relativePath.split('#')[0]),
  };
}

const specs = new Map<string, OpenMetadataSpec>();

/** The schemas in `specDir` (default $OPENMETADATA_SPEC_DIR), loaded once per folder and process. */
export function openMetadataSpec(specDir = process.env.OPENMETADATA_SPEC_DIR): OpenMetadataSpec {
  if (!specDir) throw new Error('no OpenMetadata spec folder: set OPENMETADATA_SPEC_DIR to a json/schema folder of OpenMetadata 1.12');
  let spec = specs.get(specDir);
  if (!spec) {
    if (!existsSync(specDir)) throw new Error(`OpenMetadata spec folder does not exist: ${specDir}`);
    spec = buildSpec(readSchemaDir(specDir));
    specs.set(specDir, spec);
  }
  return spec;
}

/** The spec when a folder is given or OPENMETADATA_SPEC_DIR is set, else undefined. */
export function configuredOpenMetadataSpec(specDir = process.env.OPENMETADATA_SPEC_DIR): OpenMetadataSpec | undefined {
  return specDir ? openMetadataSpec(specDir) : undefined;
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const extra = error.keyword === 'additionalProperties' ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'` : '';
  return `${path} ${error.message ?? error.keyword}${extra}`;
}

/** Runs a validator; returns null when the body is valid, else the OpenMetadata-style bracketed message list. */
export function validatorMessage(validate: ValidateFunction, body: unknown): string | null {
  if (validate(body)) return null;
  return `[${(validate.errors ?? []).map(describeError).join(', ')}]`;
}

/** Validates a body against one schema file of the spec. */
export function validationMessage(spec: OpenMetadataSpec, relativePath: string, body: unknown): string | null {
  return validatorMessage(spec.validator(relativePath), body);
}
