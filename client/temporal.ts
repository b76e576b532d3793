import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { startEmbeddedServer } from './devServer';

export interface TemporalTarget {
  client: Client;
  namespace: string;
  /** Set when the dev server runs inside this process; a worker must then run here too. */
  embedded: { nativeConnection: NativeConnection; address: string; uiUrl: string | null } | null;
  close(): Promise<void>;
}

/** The `temporal` CLI from TEMPORAL_CLI_PATH or PATH, or null when neither has it. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.TEMPORAL_CLI_PATH, ...(env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, 'temporal'))];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Connects to TEMPORAL_ADDRESS, or starts an embedded dev server whose state lives in `.hexmeta/temporal.db`
 * so an interrupted run can be resumed by running the same command again.
 */
export async function connectTemporal(options: { stateDir?: string; ui?: boolean } = {}): Promise<TemporalTarget> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    const connection = await Connection.connect({ address });
    return { client: new Client({ connection, namespace }), namespace, embedded: null, close: () => connection.close() };
  }
  const stateDir = resolve(options.stateDir ?? process.env.HEXMETA_STATE_DIR ?? '.hexmeta');
  mkdirSync(stateDir, { recursive: true });
  const cli = findTemporalCli();
  if (cli) {
    const server = await startEmbeddedServer(cli, stateDir, options.ui ?? false);
    const connection = await Connection.connect({ address: server.address });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    return {
      client: new Client({ connection, namespace }),
      namespace,
      embedded: { nativeConnection, address: server.address, uiUrl: server.uiUrl },
      close: async () => {
        await nativeConnection.close();
        await connection.close();
        await server.stop();
      },
    };
  }
  // No CLI on this machine: the SDK downloads the dev server (once, into its cache).
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      dbFilename: join(stateDir, 'temporal.db'),
      namespace,
      ui: options.ui ?? false,
      extraArgs: ['--log-level', 'error'],
    },
  });
  return {
    client: env.client,
    namespace,
    embedded: { nativeConnection: env.nativeConnection, address: env.address, uiUrl: null },
    close: () => env.teardown(),
  };
}
