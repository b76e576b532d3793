// The local server's own rules for the request bodies it accepts, written from OpenMetadata 1.12's API: every
// property a request may carry (anything else is refused where OpenMetadata refuses it), the required ones, and
// the types and enumerations of the fields clients fill in. Fields the server does not interpret are accepted
// with any value. Rules are keyed by the OpenMetadata schema each body follows. OpenMetadata 2.0's rules are
// 1.12's with the fields 2.0 adds (see RELEASE_2_0 below).
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Release } from '../release';
import {
  CHART_TYPES, COLUMN_CONSTRAINTS, COLUMN_DATA_TYPES, DASHBOARD_SERVICE_TYPES, DASHBOARD_TYPES, DATABASE_SERVICE_TYPES,
  HEX_TOKEN_TYPES, LINEAGE_SOURCES, PIPELINE_STATES, PIPELINE_TYPES, PROVIDER_TYPES, TABLE_TYPES, TAG_LABEL_TYPES, TAG_SOURCES, TAG_STATES,
} from './vocabulary';

type Rule = Record<string, unknown>;

const ANY: Rule = {};
const STRING: Rule = { type: 'string' };
const BOOLEAN: Rule = { type: 'boolean' };
const INTEGER: Rule = { type: 'integer' };
const oneOf = (values: string[]): Rule => ({ type: 'string', enum: values });
const listOf = (items: Rule): Rule => ({ type: 'array', items });
/** An object that takes only the listed properties. */
const closed = (properties: Record<string, Rule>, required: string[] = []): Rule =>
  ({ type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false });

const ENTITY_NAME: Rule = { type: 'string', minLength: 1, maxLength: 256, pattern: '^((?!::).)*$' };
const FQN: Rule = { type: 'string', minLength: 1, maxLength: 3072 };
const UUID: Rule = { type: 'string', format: 'uuid' };
const SOURCE_HASH: Rule = { type: 'string', minLength: 1, maxLength: 32 };

const ENTITY_REFERENCE = closed({
  id: UUID, type: STRING, name: STRING, fullyQualifiedName: STRING, description: STRING, displayName: STRING,
  deleted: BOOLEAN, inherited: BOOLEAN, href: STRING,
}, ['id', 'type']);
const OWNERS = listOf(ENTITY_REFERENCE);

const TAG_LABEL = closed({
  tagFQN: STRING, name: STRING, displayName: STRING, description: STRING, style: ANY, source: oneOf(TAG_SOURCES),
  labelType: oneOf(TAG_LABEL_TYPES), state: oneOf(TAG_STATES), href: STRING, reason: STRING,
  appliedAt: { type: 'string', format: 'date-time' }, appliedBy: STRING, metadata: ANY,
}, ['tagFQN', 'source', 'labelType', 'state']);
const TAGS = listOf(TAG_LABEL);

const FILTER_PATTERN = closed({ includes: listOf(STRING), excludes: listOf(STRING) });

const HEX_CONNECTION = closed({
  type: oneOf(['Hex']), hostPort: { type: 'string', format: 'uri' }, tokenType: oneOf(HEX_TOKEN_TYPES), token: STRING,
  includeTags: BOOLEAN, dashboardFilterPattern: FILTER_PATTERN, supportsMetadataExtraction: BOOLEAN,
}, ['hostPort', 'token']);

/** The properties of a Hex connection's `config` (also the keys of a workflow file's `serviceConnection.config`). */
export const HEX_CONNECTION_PROPERTIES = Object.keys(HEX_CONNECTION.properties as Rule);

/** Hex connections are checked in full; the connections of other services only need to be objects with a type. */
const DASHBOARD_CONNECTION = closed({
  config: {
    type: 'object',
    if: { properties: { type: { const: 'Hex' } } },
    then: HEX_CONNECTION,
    else: { required: ['type'], properties: { type: STRING } },
  },
});
const DATABASE_CONNECTION = closed({ config: { type: 'object', properties: { type: STRING } } });

/** Properties every service create request shares. */
const SERVICE_FIELDS = {
  name: ENTITY_NAME, displayName: STRING, description: STRING, tags: TAGS, owners: OWNERS, dataProducts: listOf(FQN),
  domains: listOf(STRING), ingestionRunner: ENTITY_REFERENCE,
};

/** Properties dashboards and charts share. */
const DASHBOARD_ASSET_FIELDS = {
  name: ENTITY_NAME, displayName: STRING, description: STRING, sourceUrl: STRING, tags: TAGS, owners: OWNERS, service: FQN,
  extension: ANY, domains: listOf(FQN), dataProducts: listOf(FQN), lifeCycle: ANY, sourceHash: SOURCE_HASH,
};

const COLUMN: Rule = closed({
  name: { type: 'string', minLength: 1, pattern: '^((?!::).)*$' }, displayName: STRING, dataType: oneOf(COLUMN_DATA_TYPES),
  arrayDataType: oneOf(COLUMN_DATA_TYPES), dataLength: INTEGER, precision: INTEGER, scale: INTEGER, dataTypeDisplay: STRING,
  description: STRING, fullyQualifiedName: STRING, tags: TAGS, constraint: oneOf(COLUMN_CONSTRAINTS), ordinalPosition: INTEGER,
  jsonSchema: STRING, children: listOf({ $ref: '#/$defs/column' }), profile: ANY, customMetrics: ANY, extension: ANY,
}, ['name', 'dataType']);

const lineageDetails = (v2: boolean): Rule => ({
  type: 'object',
  properties: {
    ...(v2 ? { tempLineageTables: ANY } : {}),
    sqlQuery: STRING, columnsLineage: listOf({ type: 'object', properties: { fromColumns: listOf(FQN), toColumn: FQN, function: STRING } }),
    pipeline: ENTITY_REFERENCE, description: STRING, source: oneOf(LINEAGE_SOURCES), createdAt: INTEGER, createdBy: STRING,
    updatedAt: INTEGER, updatedBy: STRING, assetEdges: INTEGER,
  },
});
const LINEAGE_DETAILS = lineageDetails(false);

const LINEAGE_EDGE = closed({ fromEntity: UUID, toEntity: UUID, description: STRING, lineageDetails: LINEAGE_DETAILS }, ['fromEntity', 'toEntity']);

/** A step's summary in a run status (status.json `stepSummary`). */
const stepSummary = (v2: boolean): Rule => closed({
  ...(v2 ? { operationMetrics: ANY, sourceTimeMs: { type: 'number' }, sinkTimeMs: { type: 'number' } } : {}),
  name: STRING, records: INTEGER, updated_records: INTEGER, warnings: INTEGER, errors: INTEGER, filtered: INTEGER,
  failures: listOf(closed({ name: STRING, error: STRING, stackTrace: STRING }, ['name', 'error'])),
  progress: {
    type: 'object',
    additionalProperties: { type: 'object', properties: { total: INTEGER, processed: INTEGER, estimatedRemainingSeconds: INTEGER } },
  },
}, ['name']);

/** A dashboard pipeline's `sourceConfig.config` (dashboardServiceMetadataPipeline.json); 2.0 adds two keys. */
const dashboardPipeline = (v2: boolean): Rule => ({
  type: 'object',
  if: { properties: { type: { const: 'DashboardMetadata' } } },
  then: closed({
    type: oneOf(['DashboardMetadata']), lineageInformation: ANY, dashboardFilterPattern: FILTER_PATTERN, chartFilterPattern: FILTER_PATTERN,
    dataModelFilterPattern: FILTER_PATTERN, projectFilterPattern: FILTER_PATTERN, queryParserConfig: ANY, includeOwners: BOOLEAN,
    markDeletedDashboards: BOOLEAN, markDeletedDataModels: BOOLEAN, includeTags: BOOLEAN, includeDataModels: BOOLEAN,
    includeDraftDashboard: BOOLEAN, overrideMetadata: BOOLEAN, overrideLineage: BOOLEAN,
    ...(v2 ? { markDeletedCharts: BOOLEAN, includeUsage: BOOLEAN } : {}),
  }),
});

const AIRFLOW_CONFIG = closed({
  pausePipeline: BOOLEAN, concurrency: INTEGER, startDate: STRING, endDate: STRING, pipelineTimezone: STRING, retries: INTEGER,
  retryDelay: INTEGER, pipelineCatchup: BOOLEAN, scheduleInterval: STRING, maxActiveRuns: INTEGER, workflowTimeout: INTEGER,
  workflowDefaultView: STRING, workflowDefaultViewOrientation: STRING, email: STRING,
});

function rulesOf(release: Release): Record<string, Rule> {
  const v2 = release === '2.0';
  return {
    'api/services/createDashboardService.json': closed({
      ...SERVICE_FIELDS, ...(v2 ? { style: ANY } : {}), serviceType: oneOf(DASHBOARD_SERVICE_TYPES), connection: DASHBOARD_CONNECTION,
    }, ['name', 'serviceType']),
    'api/services/createDatabaseService.json': closed({
      ...SERVICE_FIELDS, serviceType: oneOf(DATABASE_SERVICE_TYPES), connection: DATABASE_CONNECTION,
    }, ['name', 'serviceType']),
    'api/data/createDashboard.json': closed({
      ...DASHBOARD_ASSET_FIELDS, dashboardType: oneOf(DASHBOARD_TYPES), project: STRING, charts: listOf(FQN), dataModels: listOf(FQN),
    }, ['name', 'service']),
    'api/data/createChart.json': closed({
      ...DASHBOARD_ASSET_FIELDS, chartType: oneOf(CHART_TYPES), dashboards: listOf(FQN),
    }, ['name', 'service']),
    'api/data/createTable.json': {
      ...closed({
        name: ENTITY_NAME, displayName: STRING, description: STRING, tableType: oneOf(TABLE_TYPES), columns: listOf(COLUMN),
        dataModel: ANY, locationPath: STRING, tableConstraints: ANY, tablePartition: ANY, tableProfilerConfig: ANY, owners: OWNERS,
        databaseSchema: FQN, tags: TAGS, schemaDefinition: STRING, retentionPeriod: STRING, extension: ANY, sourceUrl: STRING,
        domains: listOf(STRING), dataProducts: listOf(FQN), fileFormat: ANY, lifeCycle: ANY, sourceHash: SOURCE_HASH,
      }, ['name', 'columns', 'databaseSchema']),
      $defs: { column: COLUMN },
    },
    'api/classification/createClassification.json': closed({
      name: ENTITY_NAME, displayName: STRING, description: STRING, provider: oneOf(PROVIDER_TYPES), mutuallyExclusive: BOOLEAN,
      domains: listOf(STRING), owners: OWNERS, reviewers: OWNERS,
      autoClassificationConfig: closed({ enabled: BOOLEAN, conflictResolution: ANY, minimumConfidence: ANY, requireExplicitMatch: ANY }),
    }, ['name', 'description']),
    'api/classification/createTag.json': closed({
      classification: FQN, parent: FQN, name: ENTITY_NAME, displayName: STRING, description: STRING, style: ANY,
      associatedTags: listOf(STRING), provider: oneOf(PROVIDER_TYPES), mutuallyExclusive: BOOLEAN, domains: listOf(STRING),
      owners: OWNERS, reviewers: OWNERS, recognizers: listOf(ANY), autoClassificationEnabled: BOOLEAN,
      autoClassificationPriority: { type: 'integer', minimum: 0, maximum: 100 },
    }, ['name', 'description']),
    'api/lineage/addLineage.json': closed({
      edge: closed({ fromEntity: ENTITY_REFERENCE, toEntity: ENTITY_REFERENCE, description: STRING, lineageDetails: lineageDetails(v2) }, ['fromEntity', 'toEntity']),
    }, ['edge']),
    'api/services/ingestionPipelines/createIngestionPipeline.json': closed({
      name: ENTITY_NAME, displayName: STRING, description: STRING, pipelineType: oneOf(PIPELINE_TYPES),
      sourceConfig: closed({ config: dashboardPipeline(v2) }), airflowConfig: AIRFLOW_CONFIG, loggerLevel: oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR']),
      raiseOnError: BOOLEAN, service: ENTITY_REFERENCE, owners: OWNERS, provider: oneOf(PROVIDER_TYPES), domains: listOf(STRING),
      processingEngine: ENTITY_REFERENCE, enableStreamableLogs: BOOLEAN,
    }, ['name', 'service', 'pipelineType', 'sourceConfig', 'airflowConfig']),
    /** A run's status (the `pipelineStatus` definition of the ingestion pipeline entity). */
    'entity/services/ingestionPipelines/ingestionPipeline.json#/definitions/pipelineStatus': closed({
      runId: STRING, pipelineState: oneOf(PIPELINE_STATES), startDate: INTEGER, timestamp: INTEGER, endDate: INTEGER,
      status: listOf(stepSummary(v2)), config: { type: 'object' }, metadata: { type: 'object' },
    }),
    'api/data/restoreEntity.json': closed({ id: UUID }, ['id']),
    /** Not a request: what a lineage read answers, for checking the server's own answers. */
    'type/entityLineage.json': closed({
      entity: ENTITY_REFERENCE, nodes: listOf(ENTITY_REFERENCE),
      upstreamEdges: listOf(LINEAGE_EDGE), downstreamEdges: listOf(LINEAGE_EDGE),
    }, ['entity']),
    /** A day's usage of an entity (`{date, count}`, nothing else). */
    usage: closed({ date: { type: 'string', format: 'date' }, count: { type: 'integer', minimum: 0 } }, ['date', 'count']),
    /** PATCH bodies: RFC 6902 operations. */
    jsonPatch: listOf({
      type: 'object',
      properties: { op: oneOf(['add', 'remove', 'replace', 'move', 'copy', 'test']), path: STRING, from: STRING, value: ANY },
      required: ['op', 'path'],
    }),
    ...(v2 ? RELEASE_2_0 : {}),
  };
}

/** Requests only 2.0 takes (no 1.12.6 schema exists for them). */
const RELEASE_2_0: Record<string, Rule> = {
  /** DELETE /{collection}/deleteStale: mark deleted what a run did not see, within a service. */
  deleteStale: closed({
    scopeFqn: FQN, scopeEntityType: oneOf(['service']), seenFqns: listOf(FQN), dryRun: BOOLEAN, hardDelete: BOOLEAN, recursive: BOOLEAN,
  }, ['scopeFqn', 'scopeEntityType', 'seenFqns']),
  /** PUT /lineage/{fromType}/name/{fromFqn}/{toType}/name/{toFqn}. */
  'type/entityLineage.json#/definitions/lineageDetails': lineageDetails(true),
  /** PUT /services/ingestionPipelines/progress/{fqn}/{runId}: the tree and counters are not interpreted. */
  progressUpdate: {
    type: 'object',
    properties: {
      runId: STRING, timestamp: INTEGER, updateType: oneOf(['DISCOVERY', 'PROCESSING', 'STEP_COMPLETE', 'PIPELINE_COMPLETE', 'ERROR']),
    },
    required: ['runId', 'timestamp', 'updateType'],
  },
};

const RULES: Record<Release, Record<string, Rule>> = { '1.12': rulesOf('1.12'), '2.0': rulesOf('2.0') };

/** The request kinds 1.12's rules cover (2.0 covers these and a few more). */
export const RULE_NAMES = Object.keys(RULES['1.12']);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The compiled rule for one request kind (an OpenMetadata schema path such as `api/data/createDashboard.json`). */
export function requestRule(name: string, release: Release = '1.12'): ValidateFunction {
  const key = `${release}|${name}`;
  let validate = compiled.get(key);
  if (!validate) {
    const rule = RULES[release][name];
    if (!rule) throw new Error(`no request rule for ${name} in OpenMetadata ${release}`);
    validate = ajv.compile(rule);
    compiled.set(key, validate);
  }
  return validate;
}
