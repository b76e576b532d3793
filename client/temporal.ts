import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { resolveConnectionSettings, type ConnectionSettings } from './connection';
import { connectWith } from './core';
import { connectEmbedded } from './embedded';

export interface TemporalTarget {
  client: Client;
  namespace: string;
  /** Set when the dev server runs inside this process; a worker must then run here too. */
  embedded: { nativeConnection: NativeConnection; address: string; uiUrl: string | null; stateDir: string } | null;
  close(): Promise<void>;
}

export { findTemporalCli } from './temporalCli';

/**
 * Connects to the server the connection settings name (see ./connection), or, when they name none, to the
 * state folder's embedded dev server (`.hexmeta/temporal.db`), started or joined (see connectEmbedded).
 */
export async function connectTemporal(
  options: { stateDir?: string; ui?: boolean; say?: (line: string) => void; settings?: ConnectionSettings } = {},
): Promise<TemporalTarget> {
  const settings = options.settings ?? resolveConnectionSettings();
  const namespace = settings.namespace;
  if (settings.address) {
    const { client, close } = await connectWith(settings);
    return { client, namespace, embedded: null, close };
  }
  return connectEmbedded({ stateDir: options.stateDir, ui: options.ui, namespace, say: options.say });
}
