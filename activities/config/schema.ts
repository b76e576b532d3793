/**
 * The subset of OpenMetadata's workflow file (metadataIngestion/workflow.json) that a Hex ingestion reads,
 * with the same keys, defaults and `additionalProperties: false` rules, plus hexmeta's optional extensions
 * (`hexmeta`, `warehouses`, `queryHistory`). Kept here as our own schema so errors name the exact path.
 */

/** Keys OpenMetadata 2.0 added to the dashboard pipeline; hexmeta honours them against 1.12 servers too. */
export const PIPELINE_KEYS_NEW_IN_2_0 = ['markDeletedCharts', 'includeUsage'] as const;

const filterPattern = {
  type: 'object',
  properties: {
    includes: { type: 'array', items: { type: 'string' } },
    excludes: { type: 'array', items: { type: 'string' } },
  },
  additionalProperties: false,
};

const loggerLevel = { enum: ['DEBUG', 'INFO', 'WARN', 'ERROR'] };

const hexConnection = {
  type: 'object',
  required: ['type', 'hostPort', 'token'],
  properties: {
    type: { const: 'Hex' },
    hostPort: { type: 'string', format: 'uri' },
    tokenType: { enum: ['personal', 'workspace'] },
    token: { type: 'string', minLength: 1 },
    includeTags: { type: 'boolean' },
    dashboardFilterPattern: filterPattern,
    supportsMetadataExtraction: { type: 'boolean' },
  },
  additionalProperties: false,
};

const dashboardPipeline = {
  type: 'object',
  properties: {
    type: { const: 'DashboardMetadata' },
    lineageInformation: {
      type: 'object',
      properties: { dbServicePrefixes: { type: 'array', items: { type: 'string', minLength: 1 } } },
      additionalProperties: false,
    },
    dashboardFilterPattern: filterPattern,
    chartFilterPattern: filterPattern,
    dataModelFilterPattern: filterPattern,
    projectFilterPattern: filterPattern,
    queryParserConfig: { type: 'object' },
    includeOwners: { type: 'boolean' },
    markDeletedDashboards: { type: 'boolean' },
    markDeletedDataModels: { type: 'boolean' },
    includeTags: { type: 'boolean' },
    includeDataModels: { type: 'boolean' },
    includeDraftDashboard: { type: 'boolean' },
    overrideMetadata: { type: 'boolean' },
    overrideLineage: { type: 'boolean' },
    ...Object.fromEntries(PIPELINE_KEYS_NEW_IN_2_0.map((key) => [key, { type: 'boolean' }])),
  },
  additionalProperties: false,
};

const openMetadataConnection = {
  type: 'object',
  required: ['hostPort'],
  properties: {
    clusterName: { type: 'string' },
    type: { const: 'OpenMetadata' },
    hostPort: { type: 'string', format: 'uri' },
    authProvider: {
      enum: ['basic', 'azure', 'google', 'okta', 'auth0', 'aws-cognito', 'custom-oidc', 'ldap', 'saml', 'openmetadata'],
    },
    verifySSL: { enum: ['no-ssl', 'ignore', 'validate'] },
    sslConfig: { type: 'object' },
    securityConfig: {
      type: 'object',
      required: ['jwtToken'],
      properties: { jwtToken: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
    secretsManagerProvider: { type: 'string' },
    secretsManagerLoader: { type: 'string' },
    apiVersion: { type: 'string' },
    includeTopics: { type: 'boolean' },
    includeTables: { type: 'boolean' },
    includeDashboards: { type: 'boolean' },
    includePipelines: { type: 'boolean' },
    includeMlModels: { type: 'boolean' },
    includeUsers: { type: 'boolean' },
    includeTeams: { type: 'boolean' },
    includeGlossaryTerms: { type: 'boolean' },
    includeTags: { type: 'boolean' },
    includePolicy: { type: 'boolean' },
    includeMessagingServices: { type: 'boolean' },
    enableVersionValidation: { type: 'boolean' },
    includeDatabaseServices: { type: 'boolean' },
    includePipelineServices: { type: 'boolean' },
    limitRecords: { type: 'integer' },
    forceEntityOverwriting: { type: 'boolean' },
    storeServiceConnection: { type: 'boolean' },
    elasticsSearch: { type: 'object' },
    schemaFilterPattern: filterPattern,
    tableFilterPattern: filterPattern,
    databaseFilterPattern: filterPattern,
    supportsDataInsightExtraction: { type: 'boolean' },
    supportsElasticSearchReindexingExtraction: { type: 'boolean' },
    extraHeaders: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};

export const workflowFileSchema = {
  type: 'object',
  required: ['source', 'workflowConfig'],
  properties: {
    source: {
      type: 'object',
      required: ['type', 'serviceName', 'sourceConfig'],
      properties: {
        type: { enum: ['hex', 'Hex'] },
        serviceName: { type: 'string', minLength: 1, maxLength: 256, pattern: '^((?!::).)*$' },
        serviceConnection: {
          type: 'object',
          required: ['config'],
          properties: { config: hexConnection },
          additionalProperties: false,
        },
        sourceConfig: {
          type: 'object',
          required: ['config'],
          properties: { config: dashboardPipeline },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    sink: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { const: 'metadata-rest' },
        // Other metadata-rest keys (batch sizes...) are accepted and have no effect here.
        config: { type: 'object', properties: { override_metadata: { type: 'boolean' } } },
      },
      additionalProperties: false,
    },
    processor: { type: 'object' },
    stage: { type: 'object' },
    bulkSink: { type: 'object' },
    ingestionPipelineFQN: { type: 'string' },
    pipelineRunId: { type: 'string' },
    enableStreamableLogs: { type: 'boolean' },
    ingestionRunnerName: { type: 'string' },
    workflowConfig: {
      type: 'object',
      required: ['openMetadataServerConfig'],
      properties: {
        loggerLevel,
        raiseOnError: { type: 'boolean' },
        successThreshold: { type: 'integer', minimum: 0, maximum: 100 },
        openMetadataServerConfig: openMetadataConnection,
        config: { type: 'object' },
      },
      additionalProperties: false,
    },
    hexmeta: {
      type: 'object',
      properties: {
        workspace: { type: 'string', minLength: 1 },
        hexRequestsPerMinute: { type: 'integer', minimum: 1, maximum: 6000 },
        hexCellRequestsPerMinute: { type: 'integer', minimum: 1, maximum: 6000 },
        hexMaxRetryAfterSeconds: { type: 'number', minimum: 0, maximum: 86400 },
        lookbackDays: { type: 'number', exclusiveMinimum: 0, maximum: 365 },
        charts: { type: 'boolean' },
        cellLineage: { type: 'boolean' },
        usage: { type: 'boolean' },
        listing: { enum: ['full', 'incremental'] },
        historyOverlapMinutes: { type: 'number', minimum: 0, maximum: 10080 },
      },
      additionalProperties: false,
    },
    warehouses: { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
    queryHistory: { type: 'object', additionalProperties: { type: 'object' } },
  },
  additionalProperties: false,
} as const;
