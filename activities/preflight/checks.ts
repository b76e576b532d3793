// The checks a run makes before its first write, and `hexmeta test-connection` makes too: the same checks in
// the same order with the same messages. A run stops at the first that fails; test-connection reports each.
import type { IngestionPlan } from '../config/types';
import type { HexClient } from '../hex/client';
import type { OpenMetadataClient } from '../openmetadata/client';
import { behaviourFor, type ChosenBehaviour } from '../openmetadata/serverBehaviour';

/** Runs one named check: its detail line when it passes; a failure is thrown (a run) or reported (test-connection). */
export type RunCheck = (name: string, check: () => Promise<string>) => Promise<boolean>;

/** A run's preparation: the first failing check throws its own error, nothing after it runs. */
export const stopAtFirstFailure: RunCheck = async (_name, check) => {
  await check();
  return true;
};

export interface ServiceChecks {
  hex: HexClient;
  openMetadata: OpenMetadataClient;
  plan: IngestionPlan;
  /** Also compare the token's type with `tokenType` (Hex's /users/me): a diagnostic of test-connection. */
  tokenType: boolean;
  /** The dashboard service to create or update: the write that proves write access. */
  dashboardService: Record<string, unknown>;
  /** Between the last read and the first write (a run looks up its workspace there). */
  beforeWrite?: () => Promise<void>;
}

export interface ServiceCheckResult {
  /** The behaviour chosen from OpenMetadata's version; null when the server did not answer. */
  chosen: ChosenBehaviour | null;
  openMetadataVersion: string | null;
}

/** Hex's token, OpenMetadata's server and JWT, then the dashboard service written only with an accepted JWT. */
export async function checkServices(checks: ServiceChecks, run: RunCheck): Promise<ServiceCheckResult> {
  const { hex, openMetadata, plan } = checks;
  const result: ServiceCheckResult = { chosen: null, openMetadataVersion: null };
  await run('Hex token', async () => {
    const page = await hex.listProjects(null, { limit: 1 });
    return `accepted by ${plan.hexHostPort} (${page.values.length ? 'projects visible' : 'no project visible'})`;
  });
  if (checks.tokenType) {
    await run('Hex token type', async () => {
      const me = await hex.me();
      // A workspace token's /users/me carries no user; a personal token's does.
      const seen = me.email ? 'personal' : 'workspace';
      if (seen !== plan.tokenType) throw new Error(`tokenType is ${plan.tokenType} but Hex answers as for a ${seen} token`);
      return seen;
    });
  }
  await run('OpenMetadata server', async () => {
    result.openMetadataVersion = await openMetadata.version();
    const chosen = behaviourFor(result.openMetadataVersion);
    result.chosen = chosen;
    return `version ${chosen.behaviour.serverVersion}, ${chosen.behaviour.name} behaviour${chosen.warning ? ` (${chosen.warning})` : ''}`;
  });
  const authorised = await run('OpenMetadata JWT', async () => {
    await openMetadata.checkAuth(plan.serviceName);
    return 'accepted';
  });
  if (authorised) {
    await checks.beforeWrite?.();
    await run('OpenMetadata write access', async () => {
      const { outcome } = await openMetadata.putDashboardService(checks.dashboardService);
      return `dashboard service ${plan.serviceName} ${outcome}`;
    });
  }
  return result;
}
