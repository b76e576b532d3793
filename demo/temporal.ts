// The demo's own Temporal dev server: always embedded (TEMPORAL_ADDRESS is not used), its state in the demo folder.
import { join } from 'node:path';
import { acquireEmbeddedServer } from '../client/devServer';
import { locateTemporalCli } from '../client/temporalCli';

export interface DemoTemporal {
  address: string;
  uiUrl: string | null;
  /** What runs it, for the printed line. */
  description: string;
  stop(): Promise<void>;
}

/** `say` tells each step of finding the Temporal CLI (TEMPORAL_CLI_PATH, PATH, the SDK's cache, PyPI). */
export async function startDemoTemporal(stateDir: string, ui: boolean, say: (line: string) => void): Promise<DemoTemporal> {
  let cli = '';
  const server = await acquireEmbeddedServer(stateDir, {
    ui,
    say,
    locateCli: async () => (cli = await locateTemporalCli({ stateDir, say, remoteAllowed: false })),
  });
  const runner = cli ? `temporal server start-dev (${cli})` : 'temporal server start-dev shared with another hexmeta process';
  return { ...server, description: `${runner}, state in ${join(stateDir, 'temporal.db')}` };
}
