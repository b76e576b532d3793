// Files that name processes: an exclusive lock file, and a folder of one entry per process using something.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process runs; a zombie (exited, not yet reaped by its parent) does not. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // The state is the field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc here: trust the signal check
  }
}

/** The process's command line, or null where /proc does not tell. */
export function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` while holding `file`, created exclusively with this process's pid in it. A lock whose holder
 * died is taken over; one held by a live process is waited for, up to `timeoutMs`.
 */
export async function withLockFile<T>(file: string, fn: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPid(file);
    // A lock file without a pid yet is one being written right now: wait for it like a live one.
    if (holder !== null && !isAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file} is held by process ${holder ?? '?'} for more than ${Math.round(timeoutMs / 1000)} s`);
    await sleep(100);
  }
  try {
    return await fn();
  } finally {
    if (readPid(file) === process.pid) rmSync(file, { force: true });
  }
}

/** A folder holding one file per process, named by its pid; entries of dead processes are ignored and removed. */
export class ProcessRegistry {
  constructor(readonly dir: string) {}

  add(pid = process.pid, content = ''): void {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(join(this.dir, String(pid)), 'w');
    writeSync(fd, content);
    closeSync(fd);
  }

  remove(pid = process.pid): void {
    rmSync(join(this.dir, String(pid)), { force: true });
  }

  /** Live processes with an entry, and what each wrote. */
  live(): { pid: number; content: string }[] {
    if (!existsSync(this.dir)) return [];
    const found: { pid: number; content: string }[] = [];
    for (const name of readdirSync(this.dir)) {
      const pid = Number(name);
      const file = join(this.dir, name);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (!isAlive(pid)) {
        rmSync(file, { force: true });
        continue;
      }
      let content = '';
      try {
        content = readFileSync(file, 'utf8');
      } catch {
        continue; // removed meanwhile: its process has just left
      }
      found.push({ pid, content });
    }
    return found;
  }
}
