// What the demo prints at the end: where everything runs, the run's summary and what OpenMetadata now holds.
import { formatSummary } from '../client/summary';
import type { IngestionSummary } from '../workflows/messages';
import { OPENMETADATA_LABEL, type DemoServers } from './servers';

const SAMPLE_SIZE = 3;

export interface StoreContents {
  dashboardService: { name: string; serviceType: string } | null;
  dashboards: number;
  sampleDashboards: string[];
  /** Every dashboard title and every edge (`table -> dashboard title`), sorted; the text report shows samples. */
  dashboardTitles: string[];
  tags: string[];
  lineageEdges: number;
  sampleEdges: string[];
  edges: string[];
}

export interface DemoReport {
  stateDir: string;
  workflowFile: string;
  temporal: { label: string; address: string; uiUrl: string | null; workflowUrl: string | null };
  hex: { label: string; url: string };
  openMetadata: { label: string; url: string };
  postgres: { used: true; server: string; schema: string; tables: number; hexStatements: number; lineagePrefix: string } | { used: false };
  workflowId: string;
  runId: string;
  notes: string[];
  summary: IngestionSummary;
  openMetadataContents: StoreContents;
}

/** Reads the local OpenMetadata server's entity store (its inspection API), not the REST API. */
export function storeContents(servers: DemoServers, serviceName: string): StoreContents {
  const om = servers.openMetadata;
  const service = om.dashboardService(serviceName) as { name: string; serviceType: string } | undefined;
  const dashboards = om.dashboards().filter((d) => !d.deleted && d.service?.name === serviceName);
  const titleById = new Map(dashboards.map((d) => [d.id as string, (d.displayName ?? d.name) as string]));
  const edges = om.lineageEdges();
  const tableName = (id: string) => servers.tableFqnById.get(id)?.split('.').pop() ?? id;
  const edgeLabels = edges.map((e) => `${tableName(e.fromId)} -> ${titleById.get(e.toId) ?? e.toId}`).sort();
  const titles = dashboards.map((d) => (d.displayName ?? d.name) as string).sort();
  return {
    dashboardService: service ? { name: service.name, serviceType: service.serviceType } : null,
    dashboards: dashboards.length,
    sampleDashboards: titles.slice(0, SAMPLE_SIZE),
    dashboardTitles: titles,
    tags: (om.tags() as { fullyQualifiedName: string }[]).map((t) => t.fullyQualifiedName).sort(),
    lineageEdges: edges.length,
    sampleEdges: edgeLabels.slice(0, SAMPLE_SIZE),
    edges: edgeLabels,
  };
}

export function workflowUrl(uiUrl: string | null, namespace: string, workflowId: string): string | null {
  return uiUrl ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}` : null;
}

/** The lines printed as soon as the servers are up, before the run starts. */
export function formatPlaces(r: Pick<DemoReport, 'temporal' | 'hex' | 'openMetadata' | 'postgres' | 'workflowFile'>, temporalDescription: string): string {
  const row = (name: string, value: string) => `  ${name.padEnd(22)}${value}`;
  const lines = [
    'hexmeta demo: a full ingestion against local stand-ins; nothing here talks to hex.tech or a real OpenMetadata.',
    '',
    row('Temporal dev server', `${r.temporal.address} (${temporalDescription})`),
    row('Temporal Web UI', r.temporal.uiUrl ?? 'off (--no-ui)'),
    row('Hex', `${r.hex.url}  ${r.hex.label}`),
    row('OpenMetadata', `${r.openMetadata.url}  ${r.openMetadata.label}`),
    row('PostgreSQL (lineage)', r.postgres.used
      ? `${r.postgres.server}, schema ${r.postgres.schema}: ${r.postgres.tables} tables, ${r.postgres.hexStatements} Hex queries run`
      : 'not used (see the note below)'),
    row('Workflow file', `${r.workflowFile}  (secrets are \${...} references, given to the worker only)`),
  ];
  return lines.join('\n');
}

export function formatReport(r: DemoReport): string {
  const c = r.openMetadataContents;
  const quoted = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ');
  const lines = [
    '',
    `Workflow ${r.workflowId} (run ${r.runId})`,
    r.temporal.workflowUrl ? `  open ${r.temporal.workflowUrl}` : '  (Web UI off: start without --no-ui to browse its history)',
    '',
    formatSummary(r.summary),
    '',
    `The ${OPENMETADATA_LABEL} now holds:`,
    c.dashboardService
      ? `  dashboard service ${c.dashboardService.name} (${c.dashboardService.serviceType}) with ${c.dashboards} dashboards, e.g. ${quoted(c.sampleDashboards)}`
      : '  no dashboard service',
    `  ${c.tags.length} tags: ${c.tags.join(', ')}`,
    `  ${c.lineageEdges} lineage edges (table -> dashboard)${c.sampleEdges.length ? `, e.g. ${c.sampleEdges.join('; ')}` : ''}`,
  ];
  if (r.notes.length) lines.push('', 'Notes:', ...r.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}
