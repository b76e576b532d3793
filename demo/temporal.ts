// The demo's own Temporal dev server: always embedded (TEMPORAL_ADDRESS is not used), its state in the demo folder.
import { join } from 'node:path';
import { freePort, startEmbeddedServer } from '../client/devServer';
import { findTemporalCli } from '../client/temporal';

export interface DemoTemporal {
  address: string;
  uiUrl: string | null;
  /** What runs it, for the printed line. */
  description: string;
  stop(): Promise<void>;
}

export async function startDemoTemporal(stateDir: string, ui: boolean): Promise<DemoTemporal> {
  const cli = findTemporalCli();
  if (cli) {
    const server = await startEmbeddedServer(cli, stateDir, ui);
    return { ...server, description: `temporal server start-dev (${cli}), state in ${join(stateDir, 'temporal.db')}` };
  }
  // No CLI on this machine: the SDK downloads the dev server once into its cache, as `hexmeta ingest` does.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const uiPort = ui ? await freePort() : undefined;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      dbFilename: join(stateDir, 'temporal.db'),
      ui,
      uiPort,
      extraArgs: ['--log-level', 'error'],
    },
  });
  return {
    address: env.address,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : null,
    description: `Temporal dev server downloaded by the SDK, state in ${join(stateDir, 'temporal.db')}`,
    stop: () => env.teardown(),
  };
}
