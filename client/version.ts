import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in hexmeta's package.json, read at run time from the nearest package.json above this module
 * (the same file from the sources and from the compiled dist/).
 */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return String(JSON.parse(readFileSync(file, 'utf8')).version);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
