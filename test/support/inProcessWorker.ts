import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connect, createHexWorker } from '../../client/index';
import { suiteTemporal } from './temporal';

export interface InProcessWorker {
  /** A client of the same server, for starting and watching runs. */
  client: Client;
  /** Drains the worker and closes both connections. */
  stop(): Promise<void>;
}

/**
 * A hexmeta worker in the test's own process on the suite's dev server, with Hex's client-side limit lifted
 * (the local Hex server enforces its own when a test asks it to). `env` holds what the worker resolves.
 */
export async function startInProcessWorker(taskQueue: string, env: Record<string, string>): Promise<InProcessWorker> {
  const { address } = await suiteTemporal();
  const temporal = await connect({ address });
  const connection = await NativeConnection.connect({ address });
  const worker = await createHexWorker({
    connection,
    taskQueue,
    env: { ...process.env, HEXMETA_HEX_REQUESTS_PER_MINUTE: '6000', ...env },
  });
  const running = worker.run();
  return {
    client: temporal.client,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await temporal.close();
    },
  };
}
