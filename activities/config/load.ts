import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { processLog } from '../common/log';
import { registerSecrets } from '../common/scrubber';
import { ConfigError } from './errors';
import { MAX_CONFIG_BYTES, MAX_CONFIG_TEXT_CHARS } from './size';
import { isOnlyReferences, substituteEnv } from './env';
import { collectSecrets, isSecretPath } from './secrets';
import type { ConfigSource, IngestionPlan } from './types';
import { planFrom, validateWorkflowFile } from './validate';

/** Reads the workflow file (YAML or JSON) as written, references unresolved. */
export function readWorkflowFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the configuration file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  // Far past the JSON limit whatever its comments: refused before a parse that would take seconds.
  if (text.length > MAX_CONFIG_TEXT_CHARS) throw new ConfigError([`${path}: the file has ${text.length.toLocaleString('en')} characters; at most ${MAX_CONFIG_TEXT_CHARS.toLocaleString('en')} are read (and ${MAX_CONFIG_BYTES.toLocaleString('en')} bytes as JSON accepted), as a run carries it in Temporal payloads (limited to 2 MB)`]);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid YAML (${(error as Error).message.split('\n')[0]})`]);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError([`${path}: must hold a mapping`]);
  return doc as Record<string, unknown>;
}

export function rawConfigOf(source: ConfigSource): Record<string, unknown> {
  if ('configPath' in source && typeof source.configPath === 'string') return readWorkflowFile(source.configPath);
  if ('config' in source && source.config && typeof source.config === 'object') return source.config;
  throw new ConfigError(['workflow input: must be { "configPath": "..." } or { "config": { ... } }']);
}

/** Literal secrets would be stored in Temporal history if the config itself were the workflow input. */
export function literalSecretPaths(raw: Record<string, unknown>): string[] {
  return collectSecrets(raw).filter((s) => !isOnlyReferences(s.value)).map((s) => s.path);
}

export interface ResolvedConfig {
  plan: IngestionPlan;
  hexToken: string;
  jwtToken: string;
  openMetadataHostPort: string;
  extraHeaders: Record<string, string>;
  /** The whole file with references resolved (warehouse connections live here). */
  file: Record<string, any>;
  secrets: string[];
}

/**
 * Validates and resolves a configuration. With `checkSecrets` false, references at secret paths are not
 * required to resolve (a client may not hold the worker's secrets).
 */
export function resolveConfig(source: ConfigSource, env: NodeJS.ProcessEnv, checkSecrets = true): ResolvedConfig {
  // How often a process reads the file shows at DEBUG (a start reads it once in the client, once in the worker).
  processLog().debug('configuration read', { file: 'configPath' in source ? source.configPath : 'workflow input', checkSecrets });
  const raw = rawConfigOf(source);
  const problems: string[] = [];
  if ('config' in source) {
    for (const path of literalSecretPaths(raw)) {
      problems.push(`${path}: write the secret as a \${ENV} reference when the configuration is the workflow input (it would be stored in Temporal history), or start the run with a configPath`);
    }
  }
  const { value, missing } = substituteEnv(raw, env, checkSecrets ? () => false : isSecretPath);
  // Known to the scrubber before anything can fail, so no message about this file can carry one.
  registerSecrets(collectSecrets(value).filter((s) => !isOnlyReferences(s.value)).map((s) => s.value));
  for (const m of missing) problems.push(`${m.path}: environment variable ${m.name} is not set`);
  problems.push(...validateWorkflowFile(value));
  if (problems.length) throw new ConfigError(problems);
  const file = value as Record<string, any>;
  const om = file.workflowConfig.openMetadataServerConfig;
  return {
    plan: planFrom(file),
    hexToken: file.source.serviceConnection.config.token,
    jwtToken: om.securityConfig?.jwtToken ?? '',
    openMetadataHostPort: String(om.hostPort).replace(/\/+$/, ''),
    extraHeaders: om.extraHeaders ?? {},
    file,
    secrets: collectSecrets(file).map((s) => s.value),
  };
}
