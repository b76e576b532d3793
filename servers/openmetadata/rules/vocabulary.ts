// The enumerated values OpenMetadata 1.12 accepts in the request fields the local server checks.

export const DASHBOARD_SERVICE_TYPES = [
  'Superset', 'Looker', 'Tableau', 'Redash', 'Metabase', 'PowerBI', 'PowerBIReportServer', 'Mode', 'CustomDashboard',
  'DomoDashboard', 'QuickSight', 'QlikSense', 'Lightdash', 'MicroStrategy', 'QlikCloud', 'Sigma', 'ThoughtSpot', 'Grafana',
  'Hex', 'Ssrs',
];

export const DATABASE_SERVICE_TYPES = [
  'BigQuery', 'BigTable', 'Mysql', 'Redshift', 'Snowflake', 'Postgres', 'Timescale', 'Mssql', 'MicrosoftAccess', 'Oracle',
  'Athena', 'Hive', 'Impala', 'Presto', 'Trino', 'Vertica', 'Glue', 'MariaDB', 'Druid', 'Db2', 'Clickhouse', 'Databricks',
  'AzureSQL', 'DynamoDB', 'SingleStore', 'SQLite', 'DeltaLake', 'Salesforce', 'PinotDB', 'Datalake', 'DomoDatabase',
  'QueryLog', 'CustomDatabase', 'Dbt', 'SapHana', 'MongoDB', 'Cassandra', 'Couchbase', 'Greenplum', 'Doris', 'StarRocks',
  'UnityCatalog', 'SAS', 'Iceberg', 'Teradata', 'SapErp', 'Synapse', 'Exasol', 'Cockroach', 'SSAS', 'Epic', 'ServiceNow',
  'Dremio', 'MicrosoftFabric', 'BurstIQ', 'Informix',
];

export const DASHBOARD_TYPES = ['Dashboard', 'Report'];

export const CHART_TYPES = [
  'Line', 'Table', 'Bar', 'Area', 'Pie', 'Histogram', 'Scatter', 'Text', 'BoxPlot', 'SanKey', 'Gauge', 'Map', 'Graph',
  'Heatmap', 'Timeline', 'Other',
];

export const TABLE_TYPES = [
  'Regular', 'External', 'Dynamic', 'View', 'SecureView', 'MaterializedView', 'Iceberg', 'Local', 'Partitioned', 'Foreign',
  'Transient', 'Stream', 'Stage',
];

export const COLUMN_DATA_TYPES = [
  'NUMBER', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BYTEINT', 'BYTES', 'FLOAT', 'DOUBLE', 'DECIMAL', 'NUMERIC', 'TIMESTAMP',
  'TIMESTAMPZ', 'TIME', 'DATE', 'DATETIME', 'INTERVAL', 'STRING', 'MEDIUMTEXT', 'TEXT', 'CHAR', 'LONG', 'VARCHAR', 'BOOLEAN',
  'BINARY', 'VARBINARY', 'ARRAY', 'BLOB', 'LONGBLOB', 'MEDIUMBLOB', 'MAP', 'STRUCT', 'UNION', 'SET', 'GEOGRAPHY', 'ENUM',
  'JSON', 'UUID', 'VARIANT', 'GEOMETRY', 'BYTEA', 'AGGREGATEFUNCTION', 'ERROR', 'FIXED', 'RECORD', 'NULL', 'SUPER',
  'HLLSKETCH', 'PG_LSN', 'PG_SNAPSHOT', 'TSQUERY', 'TXID_SNAPSHOT', 'XML', 'MACADDR', 'TSVECTOR', 'UNKNOWN', 'CIDR', 'INET',
  'CLOB', 'ROWID', 'LOWCARDINALITY', 'YEAR', 'POINT', 'POLYGON', 'TUPLE', 'SPATIAL', 'TABLE', 'NTEXT', 'IMAGE', 'IPV4',
  'IPV6', 'DATETIMERANGE', 'HLL', 'LARGEINT', 'QUANTILE_STATE', 'AGG_STATE', 'BITMAP', 'UINT', 'BIT', 'MONEY',
  'MEASURE HIDDEN', 'MEASURE VISIBLE', 'MEASURE', 'KPI', 'HEIRARCHY', 'HIERARCHYID',
];

export const COLUMN_CONSTRAINTS = ['NULL', 'NOT_NULL', 'UNIQUE', 'PRIMARY_KEY'];

export const TAG_SOURCES = ['Classification', 'Glossary'];
export const TAG_LABEL_TYPES = ['Manual', 'Propagated', 'Automated', 'Derived', 'Generated'];
export const TAG_STATES = ['Suggested', 'Confirmed'];
export const PROVIDER_TYPES = ['system', 'user', 'automation'];

export const LINEAGE_SOURCES = [
  'Manual', 'ViewLineage', 'QueryLineage', 'PipelineLineage', 'DashboardLineage', 'DbtLineage', 'SparkLineage',
  'OpenLineage', 'ExternalTableLineage', 'CrossDatabaseLineage', 'ChildAssets',
];

export const HEX_TOKEN_TYPES = ['personal', 'workspace'];

/** ingestionPipeline.json `pipelineType`. */
export const PIPELINE_TYPES = ['metadata', 'usage', 'lineage', 'profiler', 'autoClassification', 'TestSuite', 'dataInsight', 'elasticSearchReindex', 'dbt', 'application'];

/** ingestionPipeline.json `pipelineStatus.pipelineState`. */
export const PIPELINE_STATES = ['queued', 'success', 'failed', 'running', 'partialSuccess', 'stopped'];
