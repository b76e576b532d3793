// The local stand-ins the demo ingests from and into: the same Hex and OpenMetadata servers the tests use.
import { randomBytes } from 'node:crypto';
import { startHexServer, type HexServer } from '../servers/hexServer';
import { buildFqn, startOpenMetadataServer, type OpenMetadataServer } from '../servers/openMetadataServer';
import type { PostgresTarget } from './postgres';
import { DEMO_TABLES } from './sampleWarehouse';
import { DEMO_TEAMS, DEMO_USERS, DEMO_WORKSPACE_SLUG, demoProjects } from './sampleWorkspace';

export const HEX_LABEL = 'local Hex API stand-in (not hex.tech)';
export const OPENMETADATA_LABEL = 'local OpenMetadata-compatible test server (not OpenMetadata)';
export const DEMO_DATABASE_SERVICE = 'lumen_postgres';
/** How OpenMetadata returns a stored password to a bot: masked, so the workflow file's `warehouses:` supplies it. */
const MASKED = '*********';

/** Secret values of this demo only: they authenticate against the local servers and nothing else. */
export interface DemoSecrets {
  HEX_TOKEN: string;
  OM_JWT: string;
}

export interface DemoServers {
  hex: HexServer;
  openMetadata: OpenMetadataServer;
  secrets: DemoSecrets;
  /** Table FQN by OpenMetadata id, for the tables the demo registered. */
  tableFqnById: Map<string, string>;
  close(): Promise<void>;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function demoSecrets(): DemoSecrets {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ sub: 'ingestion-bot', isBot: true, iss: 'hexmeta-demo' }));
  return { HEX_TOKEN: `hxtw_${randomBytes(32).toString('hex')}`, OM_JWT: `${header}.${claims}.${base64url(randomBytes(32))}` };
}

/** The OpenMetadata release the demo's stand-in speaks unless `--om-version` says otherwise. */
export const DEMO_OPENMETADATA_VERSION = '2.0';

/** `omVersion`: `2.0` (default) or `1.12`; the stand-in then reports 2.0.7 or 1.12.6. */
export async function startDemoServers(omVersion = DEMO_OPENMETADATA_VERSION): Promise<DemoServers> {
  if (omVersion !== '2.0' && omVersion !== '1.12') throw new RangeError(`--om-version must be 2.0 or 1.12, not ${omVersion}`);
  const secrets = demoSecrets();
  const hex = await startHexServer({
    projects: demoProjects(),
    tokens: { [secrets.HEX_TOKEN]: { kind: 'workspace' } },
    orgId: DEMO_WORKSPACE_SLUG,
  });
  let openMetadata: OpenMetadataServer;
  try {
    openMetadata = await startOpenMetadataServer({ jwt: secrets.OM_JWT, users: DEMO_USERS, teams: DEMO_TEAMS, version: omVersion });
  } catch (error) {
    await hex.close();
    throw error;
  }
  return {
    hex,
    openMetadata,
    secrets,
    tableFqnById: new Map(),
    close: async () => {
      await Promise.all([hex.close(), openMetadata.close()]);
    },
  };
}

/** The warehouse connection as OpenMetadata's Postgres connection schema shapes it. */
export function postgresConnection(target: PostgresTarget, password: string): Record<string, unknown> {
  return { type: 'Postgres', hostPort: `${target.host}:${target.port}`, username: target.user, authType: { password }, database: target.database };
}

/**
 * Puts the database service and the demo's tables in OpenMetadata, as a database ingestion would have;
 * returns the prefix lineage is read for (service.database.schema).
 */
export function registerDemoWarehouse(servers: DemoServers, target: PostgresTarget, schema: string): string {
  servers.openMetadata.addDatabaseService(DEMO_DATABASE_SERVICE, 'Postgres', postgresConnection(target, MASKED));
  for (const table of DEMO_TABLES) {
    const fqn = buildFqn(DEMO_DATABASE_SERVICE, target.database, schema, table.name);
    const { id } = servers.openMetadata.addTable(fqn, { columns: table.columns.map((c) => c.name) });
    servers.tableFqnById.set(id, fqn);
  }
  return buildFqn(DEMO_DATABASE_SERVICE, target.database, schema);
}
