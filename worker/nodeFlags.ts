// The V8 settings a long-lived worker is advised to run with, and a check of which ones it lacks.

/**
 * V8 grows its heap far beyond what a worker keeps alive before it collects; these bound it. The old space cap
 * keeps collected space from piling up; semi-spaces (the young generation) of 4 MiB instead of 16 save ~20 MiB
 * for more, cheap, scavenges (2 MiB saved 9 MiB more at 50,000 projects but made that run 7% slower).
 */
export const ADVISED_WORKER_FLAGS = { 'max-old-space-size': 256, 'max-semi-space-size': 4 } as const;

export type AdvisedFlag = keyof typeof ADVISED_WORKER_FLAGS;

const ADVISED_FLAGS = Object.keys(ADVISED_WORKER_FLAGS) as AdvisedFlag[];

/** The advised flags as a NODE_OPTIONS value, with the given values in place of the defaults. */
export function advisedNodeOptions(values: Partial<Record<AdvisedFlag, number>> = {}): string {
  return ADVISED_FLAGS
    .map((flag) => [flag, values[flag] ?? ADVISED_WORKER_FLAGS[flag]] as const)
    .filter(([, value]) => value > 0)
    .map(([flag, value]) => `--${flag}=${value}`)
    .join(' ');
}

/** Node flags from the command line and NODE_OPTIONS, without their values, `_` written `-`. */
function givenFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => arg.slice(2).split('=')[0].replace(/_/g, '-'));
}

/**
 * Whether a `hexmeta` process keeps source maps. A long-lived worker does not: Node would keep every loaded
 * module's map in memory (~20 MiB); `--enable-source-maps` asks for them (stack traces in TypeScript lines).
 */
export function keepsSourceMaps(command: string | undefined, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return command !== 'worker' || givenFlags(execArgv, nodeOptions).includes('enable-source-maps');
}

/** Advised flags given neither on the command line nor in NODE_OPTIONS (Node reads both; `_` and `-` alike). */
export function missingWorkerFlags(execArgv: readonly string[], nodeOptions: string | undefined): AdvisedFlag[] {
  const given = givenFlags(execArgv, nodeOptions);
  return ADVISED_FLAGS.filter((flag) => !given.includes(flag));
}
