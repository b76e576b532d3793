// A worker's identity names its process and host, so a worker of the same host can tell whether it still runs.
import { hostname } from 'node:os';

/** The SDK's default identity, kept explicit: the reaper reads the pid and host back from it. */
export function workerIdentity(pid = process.pid, host = hostname()): string {
  return `${pid}@${host}`;
}

/** The pid of `identity` when it names a process of `host` (identities are `<pid>@<hostname>`). */
export function pidOnHost(identity: string | null | undefined, host: string): number | null {
  const match = /^(\d+)@(.+)$/.exec(identity ?? '');
  if (!match || match[2] !== host) return null;
  const pid = Number(match[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** False only when no such process exists (EPERM: it exists, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** What tells this host's live workers from dead ones (injectable for tests). */
export interface HostCheck {
  host: string;
  ownPid: number;
  isAlive: (pid: number) => boolean;
}
