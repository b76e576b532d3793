// The demo's state folder: a new temporary one (removed when the demo ends unless kept), or the one given with
// --dir, which must be new, empty, or one an earlier demo used, so the demo never overwrites someone's files.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Written into every folder the demo uses: it lists what the demo made there. */
export const DEMO_MARKER = '.hexmeta-demo.json';
/** Names the demo itself writes (the workflow file and the dev server's state and log). */
const DEMO_NAMES = /^(hex\.yaml|temporal\..+|\.hexmeta-demo\.json)$/;

/** The folder given with --dir holds files the demo did not make. */
export class StateDirRefused extends Error {}

export interface DemoStateDir {
  path: string;
  /** Made by the demo for this run (no --dir). */
  temporary: boolean;
  /** At the end of the demo: records what it made, and removes a temporary folder unless `keep`. Returns whether it removed it. */
  release(keep: boolean): boolean;
}

function madeBefore(path: string): Set<string> | null {
  const marker = join(path, DEMO_MARKER);
  if (!existsSync(marker)) return null;
  try {
    const files = (JSON.parse(readFileSync(marker, 'utf8')) as { files?: unknown }).files;
    return new Set(Array.isArray(files) ? files.map(String) : []);
  } catch {
    return new Set();
  }
}

/** Entries the demo did not make: everything in a folder without the marker, else what the marker does not cover. */
export function foreignEntries(path: string): string[] {
  const entries = readdirSync(path);
  const made = madeBefore(path);
  if (made === null) return entries.sort();
  return entries.filter((name) => !DEMO_NAMES.test(name) && !made.has(name)).sort();
}

function mark(path: string): void {
  const files = readdirSync(path).filter((name) => name !== DEMO_MARKER).sort();
  writeFileSync(join(path, DEMO_MARKER), `${JSON.stringify({ madeBy: 'hexmeta demo', files }, null, 2)}\n`);
}

export function claimStateDir(dir: string | undefined): DemoStateDir {
  const temporary = dir === undefined;
  const path = temporary ? mkdtempSync(join(tmpdir(), 'hexmeta-demo-')) : resolve(dir);
  if (!temporary && existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new StateDirRefused(`--dir ${path} is not a folder`);
    const foreign = foreignEntries(path);
    if (foreign.length) {
      const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
      throw new StateDirRefused(`--dir ${path} holds files the demo did not make (${shown}); give a new or empty folder, or one an earlier demo used`);
    }
  }
  mkdirSync(path, { recursive: true });
  mark(path);
  return {
    path,
    temporary,
    release(keep) {
      if (temporary && !keep) {
        rmSync(path, { recursive: true, force: true });
        return true;
      }
      if (existsSync(path)) mark(path);
      return false;
    },
  };
}
