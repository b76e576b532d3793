// Writes the demo's workflow file: the same format a user writes for a real workspace, secrets as ${...}.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostgresTarget } from './postgres';
import { DEMO_DATABASE_SERVICE } from './servers';
import { DEMO_EXCLUDE_PATTERN, DEMO_SERVICE_NAME, DEMO_WORKSPACE_SLUG } from './sampleWorkspace';

/** Environment variable holding the warehouse password; like the token and JWT it is never in the file. */
export const PG_PASSWORD_VARIABLE = 'DEMO_PG_PASSWORD';

export interface DemoLineage {
  target: PostgresTarget;
  /** service.database.schema of the demo's tables. */
  prefix: string;
  schema: string;
}

export interface WorkflowFileInput {
  dir: string;
  hexUrl: string;
  openMetadataUrl: string;
  lineage: DemoLineage | null;
}

/** Plain YAML scalars where they read as such, JSON-quoted otherwise. */
const q = (value: string) => (/^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/.test(value) ? value : JSON.stringify(value));

function lineageSections(lineage: DemoLineage): { sourceConfig: string; tail: string } {
  const t = lineage.target;
  return {
    sourceConfig: `
      lineageInformation:
        dbServicePrefixes: [${q(lineage.prefix)}]`,
    tail: `# OpenMetadata hands out the service's password masked, so the connection used for lineage is given here.
warehouses:
  ${DEMO_DATABASE_SERVICE}:
    type: Postgres
    hostPort: ${q(`${t.host}:${t.port}`)}
    username: ${q(t.user)}
    authType:
      password: \${${PG_PASSWORD_VARIABLE}}
    database: ${q(t.database)}
# pg_stat_statements keeps earlier runs' statements too: read only those naming this run's schema.
queryHistory:
  ${DEMO_DATABASE_SERVICE}:
    marker: ${q(lineage.schema)}
`,
  };
}

/** The workflow file as text; hostPorts point at the local stand-ins, and nothing secret is written. */
export function workflowFileText(input: WorkflowFileInput): string {
  const lineage = input.lineage ? lineageSections(input.lineage) : { sourceConfig: '', tail: '' };
  return `# Written by \`hexmeta demo\`. Against a real workspace, hostPort would be https://app.hex.tech and your
# OpenMetadata server; here both are local stand-ins started by the demo.
source:
  type: hex
  serviceName: ${DEMO_SERVICE_NAME}
  serviceConnection:
    config:
      type: Hex
      hostPort: ${q(input.hexUrl)}
      tokenType: workspace
      token: \${HEX_TOKEN}        # \${...} values come from the worker's environment, never from this file
      includeTags: true
  sourceConfig:
    config:
      type: DashboardMetadata
      includeOwners: true
      markDeletedDashboards: true
      dashboardFilterPattern:
        excludes: [${q(DEMO_EXCLUDE_PATTERN)}]${lineage.sourceConfig}
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: INFO
  openMetadataServerConfig:
    hostPort: ${q(input.openMetadataUrl)}
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT}
hexmeta:
  workspace: ${DEMO_WORKSPACE_SLUG}
${lineage.tail}`;
}

export function writeWorkflowFile(input: WorkflowFileInput): string {
  const path = join(input.dir, 'hex.yaml');
  writeFileSync(path, workflowFileText(input));
  return path;
}
