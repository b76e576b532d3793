import { ServiceError } from './common/httpErrors';
import type { WorkerState } from './runtime/context';
import type { IngestionPlan } from './config/types';
import type { HexClient } from './hex/client';
import { createClassificationRequest } from './mapping/tags';
import { checkServices, stopAtFirstFailure } from './preflight/checks';
import type { ItemReport, PrepareInput, PrepareResult } from './types';

/**
 * Validates the configuration inside the worker, proves both services accept their credentials, and makes
 * sure the dashboard service (and tag classification) exist. Reads happen before the first write, so a bad
 * config or credential fails with nothing written.
 */
export async function prepareIngestion(state: WorkerState, input: PrepareInput): Promise<PrepareResult> {
  const { config, hex, openMetadata } = state.connect(input.source);
  const plan = { ...config.plan };
  let workspaceWarning: ItemReport | null = null;
  const connection = config.file.source.serviceConnection.config;
  const storeConnection = config.file.workflowConfig.openMetadataServerConfig.storeServiceConnection !== false;
  // test-connection's checks in its order; the first that fails stops the run before anything is written.
  const checked = await checkServices({
    hex,
    openMetadata,
    plan,
    tokenType: false,
    dashboardService: { name: plan.serviceName, serviceType: 'Hex', ...(storeConnection ? { connection: { config: connection } } : {}) },
    beforeWrite: async () => { workspaceWarning = await findWorkspace(hex, plan); },
  }, stopAtFirstFailure);
  const chosen = checked.chosen!;
  const openMetadataVersion = checked.openMetadataVersion!;
  plan.openMetadata = chosen.behaviour;
  const warnings: ItemReport[] = [];
  if (chosen.warning) warnings.push({ item: 'OpenMetadata version', reason: chosen.warning });
  if (plan.overrideMetadata && !chosen.behaviour.bulkOverrideMetadata) {
    warnings.push({
      item: 'overrideMetadata',
      reason: `OpenMetadata ${openMetadataVersion} takes no overrideMetadata flag: changed dashboards are written again, and the server keeps a description a user wrote (1.12 behaviour)`,
    });
  }
  if (workspaceWarning) warnings.push(workspaceWarning);
  if (plan.includeTags) await openMetadata.putClassification(createClassificationRequest());
  return { plan, openMetadataVersion, openMetadataBehaviour: chosen.behaviour.name, warnings };
}

/** Without hexmeta.workspace, the workspace Hex tells (for project links); a warning when it tells none. */
async function findWorkspace(hex: HexClient, plan: IngestionPlan): Promise<ItemReport | null> {
  if (plan.workspace) return null;
  try {
    plan.workspace = await hex.workspaceId();
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status === null || error.status >= 500) throw error;
  }
  return plan.workspace ? null : {
    item: 'sourceUrl',
    reason: 'Hex did not tell the workspace (GET /users/me); set hexmeta.workspace to the workspace slug to get project links',
  };
}
