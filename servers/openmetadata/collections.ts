// The entity collections the double serves, with the schemas and relationship fields of each.

export interface Collection {
  type: string;
  path: string;
  createSchema?: string;
  /** Relationship-backed fields, returned only when asked for with `fields`. */
  fields: string[];
}

export const COLLECTIONS: Collection[] = [
  { type: 'dashboardService', path: 'services/dashboardServices', createSchema: 'api/services/createDashboardService.json', fields: ['pipelines', 'owners', 'tags', 'domains', 'followers', 'dataProducts'] },
  { type: 'databaseService', path: 'services/databaseServices', createSchema: 'api/services/createDatabaseService.json', fields: ['pipelines', 'owners', 'tags', 'domains', 'followers'] },
  { type: 'dashboard', path: 'dashboards', createSchema: 'api/data/createDashboard.json', fields: ['owners', 'charts', 'followers', 'tags', 'usageSummary', 'extension', 'dataModels', 'domains', 'dataProducts', 'sourceHash'] },
  { type: 'chart', path: 'charts', createSchema: 'api/data/createChart.json', fields: ['owners', 'followers', 'tags', 'domains', 'dataProducts', 'sourceHash', 'dashboards', 'extension'] },
  { type: 'table', path: 'tables', createSchema: 'api/data/createTable.json', fields: ['tableConstraints', 'tablePartition', 'usageSummary', 'owners', 'customMetrics', 'columns', 'sampleData', 'tags', 'followers', 'joins', 'schemaDefinition', 'dataModel', 'extension', 'testSuite', 'domains', 'dataProducts', 'lifeCycle', 'sourceHash'] },
  { type: 'classification', path: 'classifications', createSchema: 'api/classification/createClassification.json', fields: ['owners', 'reviewers', 'usageCount', 'termCount', 'autoClassificationConfig'] },
  { type: 'tag', path: 'tags', createSchema: 'api/classification/createTag.json', fields: ['owners', 'reviewers', 'domains', 'children', 'usageCount', 'recognizers', 'autoClassificationEnabled', 'autoClassificationPriority'] },
  { type: 'ingestionPipeline', path: 'services/ingestionPipelines', createSchema: 'api/services/ingestionPipelines/createIngestionPipeline.json', fields: ['owners', 'pipelineStatuses', 'followers', 'domains'] },
  { type: 'user', path: 'users', fields: ['profile', 'roles', 'teams', 'follows', 'owns', 'domains', 'personas', 'defaultPersona'] },
  { type: 'team', path: 'teams', fields: ['owners', 'profile', 'users', 'owns', 'defaultRoles', 'parents', 'children', 'policies', 'userCount', 'childrenCount', 'domains'] },
];

/** Relationship fields that come back as an empty list, rather than absent, when asked for and unset. */
export const LIST_FIELDS = new Set(['owners', 'followers', 'tags', 'charts', 'dataModels', 'domains', 'dataProducts', 'dashboards', 'columns', 'pipelines', 'reviewers', 'children']);

export function collectionOf(type: string): Collection {
  return COLLECTIONS.find((c) => c.type === type)!;
}

/** The collection a resource path (`dashboards/name/x`) belongs to. */
export function collectionForResource(resource: string): Collection | undefined {
  return COLLECTIONS.find((c) => resource === c.path || resource.startsWith(`${c.path}/`));
}
