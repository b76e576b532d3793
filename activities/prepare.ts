import { ServiceError } from './common/httpErrors';
import type { WorkerState } from './context';
import { createClassificationRequest } from './mapping/tags';
import { behaviourFor } from './openmetadata/serverBehaviour';
import type { ItemReport, PrepareInput, PrepareResult } from './types';

/**
 * Validates the configuration inside the worker, proves both services accept their credentials, and makes
 * sure the dashboard service (and tag classification) exist. Reads happen before the first write, so a bad
 * config or credential fails with nothing written.
 */
export async function prepareIngestion(state: WorkerState, input: PrepareInput): Promise<PrepareResult> {
  const { config, hex, openMetadata } = state.connect(input.source);
  const plan = { ...config.plan };
  const warnings: ItemReport[] = [];

  const openMetadataVersion = await openMetadata.version();
  const chosen = behaviourFor(openMetadataVersion);
  plan.openMetadata = chosen.behaviour;
  if (chosen.warning) warnings.push({ item: 'OpenMetadata version', reason: chosen.warning });
  if (plan.overrideMetadata && !chosen.behaviour.bulkOverrideMetadata) {
    warnings.push({
      item: 'overrideMetadata',
      reason: `OpenMetadata ${openMetadataVersion} takes no overrideMetadata flag: changed dashboards are written again, and the server keeps a description a user wrote (1.12 behaviour)`,
    });
  }
  await openMetadata.checkAuth(plan.serviceName);
  await hex.listProjects(null, { limit: 1 });

  if (!plan.workspace) {
    try {
      plan.workspace = await hex.workspaceId();
    } catch (error) {
      if (!(error instanceof ServiceError) || error.status === null || error.status >= 500) throw error;
    }
    if (!plan.workspace) {
      warnings.push({
        item: 'sourceUrl',
        reason: 'Hex did not tell the workspace (GET /users/me); set hexmeta.workspace to the workspace slug to get project links',
      });
    }
  }

  const connection = config.file.source.serviceConnection.config;
  const storeConnection = config.file.workflowConfig.openMetadataServerConfig.storeServiceConnection !== false;
  await openMetadata.putDashboardService({
    name: plan.serviceName,
    serviceType: 'Hex',
    ...(storeConnection ? { connection: { config: connection } } : {}),
  });
  if (plan.includeTags) await openMetadata.putClassification(createClassificationRequest());
  return { plan, openMetadataVersion, openMetadataBehaviour: chosen.behaviour.name, warnings };
}
