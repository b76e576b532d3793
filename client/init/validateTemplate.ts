// Checks a written workflow file with hexmeta's own validator. References to variables that are not set are
// given stand-in values first: the file is a starting point whose secrets the user sets later.
import { readFileSync } from 'node:fs';
import { prepareSource } from '../core';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Stand-ins for the referenced variables `env` lacks; long enough to pass the secret-length check. */
export function standInsFor(text: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const standIns: Record<string, string> = {};
  for (const [, name] of text.matchAll(REFERENCE)) if (env[name] === undefined) standIns[name] = `stand-in-for-${name}`;
  return standIns;
}

/** Throws ConfigError (every problem by its path) when the file is not a valid workflow file; else its service name. */
export function validateWrittenFile(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const standIns = standInsFor(readFileSync(path, 'utf8'), env);
  return prepareSource({ source: { configPath: path }, checkSecrets: true, env: { ...env, ...standIns } }).serviceName;
}
