// `hexmeta test-connection`: the run's own checks (./checks), each reported rather than stopping at the first
// failure, then one read of each lineage warehouse's query history.
import { redact } from '../config/secrets';
import { WorkerState } from '../runtime/context';
import { parsePrefix } from '../openmetadata/tables';
import { findWarehouseConnection } from '../warehouses/connection';
import { createHistorySource } from '../warehouses';
import { checkServices, type RunCheck } from './checks';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Checks Hex, OpenMetadata and each lineage warehouse with the worker's own code paths; one line a check. */
export async function testConnections(configPath: string, env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  const checks: Check[] = [];
  const { config, hex, openMetadata } = new WorkerState(env).connect({ configPath });
  const run: RunCheck = async (name, check) => {
    try {
      checks.push({ name, ok: true, detail: await check() });
      return true;
    } catch (error) {
      checks.push({ name, ok: false, detail: redact((error as Error).message, config.secrets) });
      return false;
    }
  };

  const { plan } = config;
  await checkServices({ hex, openMetadata, plan, tokenType: true, dashboardService: { name: plan.serviceName, serviceType: 'Hex' } }, run);
  const end = new Date();
  const window = { start: new Date(end.getTime() - 3_600_000).toISOString(), end: end.toISOString() };
  for (const prefix of plan.dbServicePrefixes) {
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
