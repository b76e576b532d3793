// Loads OpenMetadata's JSON Schemas and hands out cached Ajv validators for request bodies.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SCHEMA_BASE_URI = 'https://open-metadata.org/schema/';
/** Maven Central serves only this version of the spec artifact. */
export const MAVEN_SPEC_VERSION = '1.4.0';
const MAVEN_ARTIFACT = `org.open-metadata:openmetadata-spec:${MAVEN_SPEC_VERSION}`;
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

function mavenJarPath(): string {
  return join(homedir(), '.m2', 'repository', 'org', 'open-metadata', 'openmetadata-spec', MAVEN_SPEC_VERSION, `openmetadata-spec-${MAVEN_SPEC_VERSION}.jar`);
}

function readSchemaJar(): SchemaFiles {
  const jar = mavenJarPath();
  if (!existsSync(jar)) {
    try {
      execFileSync('mvn', ['-q', 'dependency:get', `-Dartifact=${MAVEN_ARTIFACT}`], { stdio: 'pipe', timeout: 300_000 });
    } catch (error) {
      throw new Error(
        `OpenMetadata JSON Schemas not found: set OPENMETADATA_SPEC_DIR to a folder holding them, ` +
          `or make Maven able to fetch ${MAVEN_ARTIFACT} (mvn failed: ${(error as Error).message.split('\n')[0]})`,
      );
    }
  }
  const prefix = 'json/schema/';
  const entries = execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  const files: SchemaFiles = new Map();
  for (const entry of entries) {
    const text = execFileSync('unzip', ['-p', jar, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    files.set(entry.slice(prefix.length), JSON.parse(text));
  }
  return files;
}

/** Schemas come from $OPENMETADATA_SPEC_DIR (or the given folder), else from the Maven spec jar. */
export function loadSchemaFiles(specDir = process.env.OPENMETADATA_SPEC_DIR): SchemaFiles {
  if (specDir) {
    if (!existsSync(specDir)) throw new Error(`OpenMetadata spec folder does not exist: ${specDir}`);
    return readSchemaDir(specDir);
  }
  return readSchemaJar();
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
  };
}

const specs = new Map<string, OpenMetadataSpec>();

/** One loaded and lazily compiled spec per source, shared by every server in the process. */
export function openMetadataSpec(specDir = process.env.OPENMETADATA_SPEC_DIR): OpenMetadataSpec {
  const key = specDir ?? `maven:${MAVEN_SPEC_VERSION}`;
  let spec = specs.get(key);
  if (!spec) {
    spec = buildSpec(loadSchemaFiles(specDir));
    specs.set(key, spec);
  }
  return spec;
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath || '/';
  const extra = error.keyword === 'additionalProperties' ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'` : '';
  return `${path} ${error.message ?? error.keyword}${extra}`;
}

/** Validates a body; returns null when valid, else the OpenMetadata-style bracketed message list. */
export function validationMessage(spec: OpenMetadataSpec, relativePath: string, body: unknown): string | null {
  const validate = spec.validator(relativePath);
  if (validate(body)) return null;
  return `[${(validate.errors ?? []).map(describeError).join(', ')}]`;
}
