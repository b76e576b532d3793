import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const HEXMETA_BIN = join(__dirname, '..', '..', 'bin', 'hexmeta.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const TEMPORAL_CONNECTION_VARIABLE = /^TEMPORAL_(ADDRESS|NAMESPACE|API_KEY|TLS|TLS_.*|PROFILE|CONFIG_FILE|GRPC_META_.*)$/;

/** Environment for a CLI child: the parent's, without Temporal connection settings unless given. */
export function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HEXMETA_HEX_REQUESTS_PER_MINUTE: '6000' };
  for (const name of Object.keys(env)) if (TEMPORAL_CONNECTION_VARIABLE.test(name)) delete env[name];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess & { output: Promise<CliResult> } {
  const child = spawn(process.execPath, [HEXMETA_BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => { stdout += chunk; });
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const output = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { output });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  return spawnCli(args, env, cwd).output;
}

/** Starts `hexmeta worker` and resolves once it polls. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, taskQueue: string, extraArgs: string[] = []) {
  const child = spawnCli(['worker', '--task-queue', taskQueue, ...extraArgs], env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker did not start within 60 s')), 60_000);
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes('polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited early with ${code}`));
    });
  });
  return child;
}
