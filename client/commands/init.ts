// `hexmeta init`: writes a commented hex.yaml to start from, never over an existing file, and checks it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../activities/config/errors';
import { WORKFLOW_FILE_TEMPLATE } from '../init/template';
import { validateWrittenFile } from '../init/validateTemplate';
import { EXIT_OK, EXIT_SETUP_FAILED } from '../summary';

export interface InitCommandOptions {
  /** Folder to write hex.yaml into (default: the current one). */
  dir?: string;
}

export function initCommand(options: InitCommandOptions): number {
  const dir = resolve(options.dir ?? '.');
  const path = join(dir, 'hex.yaml');
  if (existsSync(path)) {
    console.error(`${path} exists already; hexmeta init never overwrites a file (move it away, or give another --dir)`);
    return EXIT_SETUP_FAILED;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, WORKFLOW_FILE_TEMPLATE, { flag: 'wx' });
  try {
    validateWrittenFile(path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`wrote ${path}, but it does not validate:\n${error.message}`);
    return EXIT_SETUP_FAILED;
  }
  console.log(`Wrote ${path}. Set your Hex host and service name, your OpenMetadata hostPort, and keep the warehouses you have;`);
  console.log('then export HEX_TOKEN and OM_JWT (and the warehouse secrets you kept) and run:');
  console.log(`  npx hexmeta ingest -c ${path}`);
  return EXIT_OK;
}
