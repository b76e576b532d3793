/**
 * Ctrl-C as a person expects it: the first stops the run gracefully (the worker hands its activities back and
 * the workflow keeps its place), and is bounded, so hexmeta is gone within `graceMs` however long a request in
 * flight would take; a second one exits at once. Exit handlers still run (they stop the embedded server).
 */
export const EXIT_INTERRUPTED = 130;

export interface InterruptWatch {
  readonly interrupted: boolean;
  dispose(): void;
}

export function watchInterrupts(options: { graceMs: number; onFirst: () => void; onForced: (reason: 'again' | 'grace') => void }): InterruptWatch {
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  const exitNow = (reason: 'again' | 'grace') => {
    options.onForced(reason);
    process.exit(EXIT_INTERRUPTED);
  };
  const onSignal = () => {
    count++;
    if (count > 1) return exitNow('again');
    options.onFirst();
    timer = setTimeout(() => exitNow('grace'), options.graceMs);
    timer.unref();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return {
    get interrupted() {
      return count > 0;
    },
    dispose() {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
}
