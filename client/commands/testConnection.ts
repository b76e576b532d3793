import { ConfigError } from '../../activities/config/errors';
import { resolveConfig } from '../../activities/config/load';
import { redact } from '../../activities/config/secrets';
import { WorkerState } from '../../activities/context';
import { behaviourFor } from '../../activities/openmetadata/serverBehaviour';
import { parsePrefix } from '../../activities/openmetadata/tables';
import { findWarehouseConnection } from '../../activities/warehouses/connection';
import { createHistorySource } from '../../activities/warehouses';
import { EXIT_OK, EXIT_SETUP_FAILED } from '../summary';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

type Run = (name: string, check: () => Promise<string>) => Promise<boolean>;

/** Checks Hex, OpenMetadata and each lineage warehouse with the worker's own code paths; one line a check. */
export async function testConnections(configPath: string, env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  const config = resolveConfig({ configPath }, env);
  const { hex, openMetadata } = new WorkerState(env).connect({ configPath });
  const run: Run = async (name, check) => {
    try {
      checks.push({ name, ok: true, detail: await check() });
      return true;
    } catch (error) {
      checks.push({ name, ok: false, detail: redact((error as Error).message, config.secrets) });
      return false;
    }
  };

  await run('Hex token', async () => {
    const page = await hex.listProjects(null, { limit: 1 });
    return `accepted by ${config.plan.hexHostPort} (${page.values.length ? 'projects visible' : 'no project visible'})`;
  });
  await run('Hex token type', async () => {
    const me = await hex.me();
    // A workspace token's /users/me carries no user; a personal token's does.
    const seen = me.email ? 'personal' : 'workspace';
    if (seen !== config.plan.tokenType) throw new Error(`tokenType is ${config.plan.tokenType} but Hex answers as for a ${seen} token`);
    return seen;
  });
  await run('OpenMetadata server', async () => {
    const chosen = behaviourFor(await openMetadata.version());
    return `version ${chosen.behaviour.serverVersion}, ${chosen.behaviour.name} behaviour${chosen.warning ? ` (${chosen.warning})` : ''}`;
  });
  const authorised = await run('OpenMetadata JWT', async () => {
    await openMetadata.checkAuth(config.plan.serviceName);
    return 'accepted';
  });
  if (authorised) {
    await run('OpenMetadata write access', async () => {
      const { outcome } = await openMetadata.putDashboardService({ name: config.plan.serviceName, serviceType: 'Hex' });
      return `dashboard service ${config.plan.serviceName} ${outcome}`;
    });
  }
  const end = new Date();
  const window = { start: new Date(end.getTime() - 3_600_000).toISOString(), end: end.toISOString() };
  for (const prefix of config.plan.dbServicePrefixes) {
    const { service } = parsePrefix(prefix);
    await run(`warehouse ${service}`, async () => {
      const lookup = await findWarehouseConnection(openMetadata, config.file.warehouses, service);
      if ('problem' in lookup) throw new Error(lookup.problem);
      const source = createHistorySource(lookup.config, config.file.queryHistory?.[service]);
      try {
        const page = await source.readPage(window, null, 1);
        return `${source.dialect} query history readable (connection from ${lookup.origin}; ${page.rows.length ? 'Hex queries in the last hour' : 'no Hex query in the last hour'})`;
      } finally {
        await source.close().catch(() => undefined);
      }
    });
  }
  return checks;
}

export async function testConnectionCommand(options: { config: string; json?: boolean }): Promise<number> {
  let checks: Check[];
  try {
    checks = await testConnections(options.config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT_SETUP_FAILED;
    }
    throw error;
  }
  if (options.json) console.log(JSON.stringify(checks, null, 2));
  else for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`);
  return checks.every((c) => c.ok) ? EXIT_OK : EXIT_SETUP_FAILED;
}
