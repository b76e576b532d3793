import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startHexServer, type HexProject, type HexServer, type HexServerOptions } from '../../servers/hexServer';
import { startOpenMetadataServer, type OpenMetadataServer, type OpenMetadataServerOptions } from '../../servers/openMetadataServer';

export const HEX_TOKEN = 'hxtw_' + 'a1'.repeat(48);
export const OM_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJpc0JvdCI6dHJ1ZX0.test-signature-not-real';

export interface World {
  hex: HexServer;
  openMetadata: OpenMetadataServer;
  dir: string;
  /** Writes a workflow file (secrets as ${...} references) and returns its path. */
  writeConfig(mutate?: (doc: any) => void, name?: string): string;
  /** Environment holding the secrets the config refers to. */
  secretsEnv: Record<string, string>;
  close(): Promise<void>;
}

export function baseWorkflowFile(serviceName: string): any {
  return {
    source: {
      type: 'hex',
      serviceName,
      serviceConnection: {
        config: { type: 'Hex', hostPort: '${HEX_HOST}', tokenType: 'workspace', token: '${HEX_TOKEN}', includeTags: true },
      },
      sourceConfig: { config: { type: 'DashboardMetadata', includeOwners: true } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      loggerLevel: 'INFO',
      openMetadataServerConfig: {
        hostPort: '${OM_HOST}',
        authProvider: 'openmetadata',
        securityConfig: { jwtToken: '${OM_JWT}' },
      },
    },
  };
}

export async function startWorld(options: {
  projects: HexProject[];
  serviceName?: string;
  hex?: Partial<HexServerOptions>;
  openMetadata?: Partial<OpenMetadataServerOptions>;
}): Promise<World> {
  const hex = await startHexServer({ projects: options.projects, tokens: { [HEX_TOKEN]: { kind: 'workspace' } }, orgId: 'acme-analytics', ...options.hex });
  const openMetadata = await startOpenMetadataServer({ jwt: OM_JWT, ...options.openMetadata });
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-world-'));
  const serviceName = options.serviceName ?? 'hex_e2e';
  return {
    hex,
    openMetadata,
    dir,
    secretsEnv: { HEX_HOST: hex.url, HEX_TOKEN, OM_HOST: openMetadata.url, OM_JWT },
    writeConfig(mutate, name = 'hex.yaml') {
      const doc = baseWorkflowFile(serviceName);
      mutate?.(doc);
      const path = join(dir, name);
      writeFileSync(path, stringify(doc));
      return path;
    },
    async close() {
      await Promise.all([hex.close(), openMetadata.close()]);
    },
  };
}
