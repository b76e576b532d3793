// Top-level fields of each entity OpenMetadata 1.12 returns: the names a `fields=` query parameter may ask for.

const PERSON = ['id', 'name', 'fullyQualifiedName', 'displayName', 'description', 'version', 'updatedAt', 'updatedBy',
  'impersonatedBy', 'href', 'changeDescription', 'incrementalChangeDescription', 'deleted'];
const BOOKKEEPING = [...PERSON, 'entityStatus'];

const SERVICE = [...BOOKKEEPING, 'serviceType', 'connection', 'pipelines', 'testConnectionResult', 'tags', 'owners', 'followers',
  'dataProducts', 'domains', 'ingestionRunner'];

const DATA_ASSET = [...BOOKKEEPING, 'sourceUrl', 'owners', 'followers', 'tags', 'service', 'serviceType', 'usageSummary',
  'extension', 'domains', 'dataProducts', 'votes', 'lifeCycle', 'certification', 'sourceHash'];

export const ENTITY_PROPERTIES: Record<string, readonly string[]> = {
  dashboardService: SERVICE,
  databaseService: SERVICE,
  dashboard: [...DATA_ASSET, 'project', 'dashboardType', 'charts', 'dataModels'],
  chart: [...DATA_ASSET, 'chartType', 'dashboards'],
  table: [...DATA_ASSET, 'tableType', 'columns', 'tableConstraints', 'tablePartition', 'databaseSchema', 'database', 'location',
    'locationPath', 'schemaDefinition', 'joins', 'sampleData', 'tableProfilerConfig', 'customMetrics', 'profile', 'testSuite',
    'dataModel', 'retentionPeriod', 'compressionEnabled', 'compressionCodec', 'compressionStrategy', 'fileFormat',
    'processedLineage', 'queries', 'pipelineObservability'],
  classification: [...BOOKKEEPING, 'termCount', 'usageCount', 'provider', 'disabled', 'mutuallyExclusive', 'domains', 'owners',
    'reviewers', 'autoClassificationConfig'],
  tag: [...BOOKKEEPING, 'style', 'classification', 'parent', 'children', 'usageCount', 'deprecated', 'provider', 'disabled',
    'mutuallyExclusive', 'domains', 'dataProducts', 'owners', 'reviewers', 'recognizers', 'autoClassificationEnabled',
    'autoClassificationPriority'],
  ingestionPipeline: [...BOOKKEEPING, 'pipelineType', 'owners', 'sourceConfig', 'openMetadataServerConnection', 'airflowConfig',
    'service', 'pipelineStatuses', 'loggerLevel', 'raiseOnError', 'deployed', 'enabled', 'enableStreamableLogs', 'followers',
    'provider', 'domains', 'applicationType', 'ingestionRunner', 'processingEngine'],
  user: [...PERSON, 'externalId', 'scimUserName', 'email', 'timezone', 'isBot', 'isAdmin', 'allowImpersonation',
    'authenticationMechanism', 'profile', 'teams', 'defaultPersona', 'personas', 'owns', 'follows', 'roles', 'inheritedRoles',
    'inheritedPersonas', 'isEmailVerified', 'domains', 'lastLoginTime', 'lastActivityTime', 'personaPreferences'],
  team: [...PERSON, 'teamType', 'email', 'externalId', 'profile', 'parents', 'children', 'users', 'childrenCount',
    'userCount', 'owns', 'owners', 'isJoinable', 'defaultRoles', 'inheritedRoles', 'defaultPersona', 'policies', 'domains'],
};
