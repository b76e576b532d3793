// A set of `hexmeta worker` processes that the chaos schedule kills and replaces.
import type { ChildProcess } from 'node:child_process';
import { startWorkerProcess, type CliResult } from '../support/cli';

type WorkerChild = ChildProcess & { output: Promise<CliResult> };

export class WorkerPool {
  private readonly ready = new Set<WorkerChild>();
  private readonly killedByUs = new WeakSet<WorkerChild>();
  private readonly starting = new Set<Promise<void>>();
  private stopping = false;
  /** Every worker's output, to check afterwards that no secret reached it. */
  readonly outputs: Promise<CliResult>[] = [];
  readonly startFailures: string[] = [];
  /** Workers that exited without being killed (a replacement is started for each). */
  unexpectedExits = 0;
  started = 0;

  constructor(private readonly env: NodeJS.ProcessEnv, private readonly taskQueue: string, private readonly size: number) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.launch()));
    if (this.ready.size === 0) throw new Error(`no worker started: ${this.startFailures.join('; ')}`);
  }

  /** Workers polling right now. */
  pids(): number[] {
    return [...this.ready].map((child) => child.pid!);
  }

  /** Waits until at least `count` workers poll, so a kill never leaves the queue without one. */
  async waitForReady(count: number, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.ready.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.ready.size} workers ready after ${timeoutMs} ms: ${this.startFailures.join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILLs the worker with this pid (it gets no chance to drain) and starts a replacement. */
  async kill(pid: number): Promise<void> {
    const victim = [...this.ready].find((child) => child.pid === pid);
    if (!victim) throw new Error(`no ready worker with pid ${pid}`);
    this.killedByUs.add(victim);
    this.ready.delete(victim);
    victim.kill('SIGKILL');
    await victim.output;
    this.replace();
  }

  /** Stops every worker gracefully (SIGTERM drains) and waits for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.starting]);
    for (const child of this.ready) child.kill('SIGTERM');
    await Promise.allSettled(this.outputs);
  }

  private replace(): void {
    if (this.stopping) return;
    const launching = this.launch();
    this.starting.add(launching);
    void launching.finally(() => this.starting.delete(launching));
  }

  private async launch(): Promise<void> {
    this.started++;
    let child: WorkerChild;
    try {
      child = await startWorkerProcess(this.env, this.taskQueue) as WorkerChild;
    } catch (error) {
      this.startFailures.push((error as Error).message);
      return;
    }
    this.outputs.push(child.output);
    if (this.stopping) {
      child.kill('SIGTERM');
      return;
    }
    this.ready.add(child);
    child.once('exit', () => {
      if (this.killedByUs.has(child) || this.stopping) return;
      this.ready.delete(child);
      this.unexpectedExits++;
      this.replace();
    });
  }
}
