// The summary and details a run shows on its page in the Temporal Web UI: set by clients at start, and by the
// workflow on the run it starts under the service's fixed id (from the Web UI's Start Workflow form).
import type { ConfigSource, IngestionPlan } from '../activities/config/types';

export function runSummary(serviceName: string): string {
  return `Hex → OpenMetadata: ${serviceName}`;
}

/** The workflow file's path, or a mark that the file itself is the input. */
export function configFileOf(source: ConfigSource): string {
  return 'configPath' in source ? source.configPath : '(workflow file given as the input)';
}

export function runDetails(source: ConfigSource, plan: IngestionPlan): string {
  return [
    `Workflow file: ${configFileOf(source)}`,
    `Hex: ${plan.hexHostPort}`,
    `Lineage prefixes: ${plan.dbServicePrefixes.length ? plan.dbServicePrefixes.join(', ') : 'none'}`,
    `Listing: ${plan.listing}`,
  ].join('\n');
}
