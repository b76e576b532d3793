import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { acquireEmbeddedServer } from './devServer';
import { locateTemporalCli } from './temporalCli';

export interface EmbeddedTemporal {
  client: Client;
  namespace: string;
  /** The dev server of the state folder; a worker must run in this process too. */
  embedded: { nativeConnection: NativeConnection; address: string; uiUrl: string | null; stateDir: string };
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Default: HEXMETA_STATE_DIR, else `.hexmeta`. */
  stateDir?: string;
  ui?: boolean;
  namespace?: string;
  /** Where the steps of finding the CLI and starting or joining the server are told, one line each. */
  say?: (line: string) => void;
}

/**
 * The embedded dev server of the state folder, whose state lives in `<stateDir>/temporal.db` so that an
 * interrupted run is resumed by running the same command again; shared with other hexmeta processes of the
 * same folder.
 */
export async function connectEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedTemporal> {
  const stateDir = resolve(options.stateDir ?? process.env.HEXMETA_STATE_DIR ?? '.hexmeta');
  const namespace = options.namespace ?? 'default';
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = await acquireEmbeddedServer(stateDir, {
    ui: options.ui,
    say,
    locateCli: () => locateTemporalCli({ stateDir, say }),
  });
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address: server.address });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const opened = connection;
    return {
      client: new Client({ connection, namespace }),
      namespace,
      embedded: { nativeConnection, address: server.address, uiUrl: server.uiUrl, stateDir },
      close: async () => {
        await nativeConnection.close();
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await connection?.close();
    await server.stop();
    throw error;
  }
}
