// Finds a PostgreSQL the demo may use for lineage, and fills (then empties) the demo's schema in it.
import { randomBytes } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import { createTableStatements, DEMO_QUERIES, hexStatement } from './sampleWarehouse';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Where the settings came from, for the printed note. */
  from: '--postgres' | 'PG_* environment' | 'default';
}

export type PostgresProbe = { usable: true; target: PostgresTarget } | { usable: false; note: string };

const DEFAULT_URL = 'postgresql://localhost:5432';

/** `--postgres <url>`, else PG_HOST/PG_PORT/PG_USER/PG_PASSWORD/PG_DATABASE, else the default local port. */
export function choosePostgres(option: string | undefined, env: NodeJS.ProcessEnv): PostgresTarget {
  if (option) return { ...fromUrl(option), from: '--postgres' };
  if (env.PG_HOST) {
    const user = env.PG_USER ?? 'postgres';
    return {
      host: env.PG_HOST, port: Number(env.PG_PORT ?? 5432), user, password: env.PG_PASSWORD ?? '', database: env.PG_DATABASE ?? user,
      from: 'PG_* environment',
    };
  }
  return { ...fromUrl(DEFAULT_URL), from: 'default' };
}

function fromUrl(text: string): Omit<PostgresTarget, 'from'> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--postgres must be a URL such as postgresql://user:password@host:5432/database, got ${JSON.stringify(text)}`);
  }
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`--postgres must be a postgresql:// URL, got ${url.protocol}`);
  const user = decodeURIComponent(url.username) || 'postgres';
  return {
    host: url.hostname || 'localhost',
    port: Number(url.port || 5432),
    user,
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user,
  };
}

/** host:port/database as user, never the password. */
export function describeTarget(t: PostgresTarget): string {
  return `postgresql://${t.user}@${t.host}:${t.port}/${t.database}`;
}

function clientConfig(t: PostgresTarget, timeoutMs: number): ClientConfig {
  return {
    host: t.host, port: t.port, user: t.user, password: t.password, database: t.database,
    connectionTimeoutMillis: timeoutMs, application_name: 'hexmeta-demo',
  };
}

async function withClient<T>(t: PostgresTarget, timeoutMs: number, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(clientConfig(t, timeoutMs));
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/**
 * Whether lineage can be shown: the server answers and its `pg_stat_statements` view can be read (created when
 * missing and allowed). The default address gets a short timeout, as it is only a guess.
 */
export async function probePostgres(target: PostgresTarget): Promise<PostgresProbe> {
  const where = describeTarget(target);
  const timeoutMs = target.from === 'default' ? 1_500 : 5_000;
  try {
    return await withClient(target, timeoutMs, async (client) => {
      const readable = () => client.query('SELECT 1 FROM pg_stat_statements LIMIT 1').then(() => true, (error) => error);
      let check = await readable();
      if (check !== true && (check as { code?: string }).code === '42P01') {
        await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
        check = await readable();
      }
      if (check !== true) {
        return { usable: false, note: `PostgreSQL at ${where} has no readable pg_stat_statements (${reason(check)}); lineage skipped` };
      }
      return { usable: true, target };
    });
  } catch (error) {
    return { usable: false, note: `no PostgreSQL reachable at ${where} (${target.from}: ${reason(error)}); lineage skipped` };
  }
}

/** A schema name of this run only, so its statements and tables never mix with an earlier run's. */
export function demoSchemaName(): string {
  return `hexmeta_demo_${randomBytes(5).toString('hex')}`;
}

/** Creates the schema and tables, then runs each project's statements with its Hex comment, as Hex would. */
export async function seedDemoSchema(target: PostgresTarget, schema: string): Promise<number> {
  const statements = DEMO_QUERIES.map((q) => hexStatement(q, schema));
  await withClient(target, 10_000, async (client) => {
    for (const sql of [...createTableStatements(schema), ...statements]) await client.query(sql);
  });
  return statements.length;
}

export async function dropDemoSchema(target: PostgresTarget, schema: string): Promise<void> {
  await withClient(target, 5_000, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}
