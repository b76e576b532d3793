// Notices within a fraction of a second that another worker of this task queue on this host has died, so the
// reaper can retry its activity attempts at once instead of at its next periodic pass.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pidOnHost, type HostCheck } from './identity';

/** How often the task queue's pollers are read again (one cheap call to the server). */
export const SIBLINGS_REFRESH_MS = 2_000;
/** How often the known siblings' pids are checked (a local signal-0, no server call). */
export const SIBLINGS_CHECK_MS = 250;

/** The live pids of this host's workers among a task queue's pollers, this process left out. */
export function liveSiblings(identities: (string | null | undefined)[], check: HostCheck): number[] {
  const pids = new Set<number>();
  for (const identity of identities) {
    const pid = pidOnHost(identity, check.host);
    if (pid !== null && pid !== check.ownPid && check.isAlive(pid)) pids.add(pid);
  }
  return [...pids];
}

/** Pids that were alive at the last look and are gone now; they are forgotten as they are reported. */
export class SiblingSet {
  private readonly pids = new Set<number>();

  constructor(private readonly isAlive: (pid: number) => boolean) {}

  add(pids: number[]): void {
    for (const pid of pids) this.pids.add(pid);
  }

  takeDead(): number[] {
    const dead = [...this.pids].filter((pid) => !this.isAlive(pid));
    for (const pid of dead) this.pids.delete(pid);
    return dead;
  }

  /** The siblings alive at the last check. */
  alive(): number[] {
    return [...this.pids];
  }
}

async function pollerIdentities(client: Client, taskQueue: string): Promise<string[]> {
  const { TaskQueueType } = temporal.api.enums.v1;
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (response.pollers ?? []).map((poller) => String(poller.identity ?? ''));
}

export interface SiblingWatch {
  stop(): void;
}

/**
 * Watches this host's other workers of `taskQueue` (learned from the queue's pollers) and calls `onDeath` when
 * one of them stops existing. A failing refresh keeps the siblings already known.
 */
export function watchSiblings(options: HostCheck & {
  client: Client;
  taskQueue: string;
  /** The pids that died, and the siblings still alive. */
  onDeath: (dead: number[], alive: number[]) => void;
  refreshEveryMs?: number;
  checkEveryMs?: number;
}): SiblingWatch {
  const siblings = new SiblingSet(options.isAlive);
  let refreshing = false;
  const refresh = () => {
    if (refreshing) return;
    refreshing = true;
    pollerIdentities(options.client, options.taskQueue)
      .then((identities) => siblings.add(liveSiblings(identities, options)), () => undefined)
      .finally(() => { refreshing = false; });
  };
  const check = () => {
    const dead = siblings.takeDead();
    if (dead.length) options.onDeath(dead, siblings.alive());
  };
  refresh();
  const timers = [setInterval(refresh, options.refreshEveryMs ?? SIBLINGS_REFRESH_MS), setInterval(check, options.checkEveryMs ?? SIBLINGS_CHECK_MS)];
  for (const timer of timers) timer.unref();
  return { stop: () => timers.forEach((timer) => clearInterval(timer)) };
}
