// The commented workflow file `hexmeta init` writes (examples/hex.yaml is the same file): every option hexmeta
// reads, secrets as ${...} references, one lineage example per warehouse kind.
export const WORKFLOW_FILE_TEMPLATE = `# hexmeta workflow file: the format of OpenMetadata's own \`metadata ingest -c hex.yaml\`, plus hexmeta's options.
# Written by \`hexmeta init\`. Run it with: npx hexmeta ingest -c hex.yaml
#
# \${NAME} is replaced from the environment of the process that needs it. Secrets (the Hex token, the JWT,
# warehouse passwords and keys) stay references: only the worker resolves them, so they never enter Temporal
# history, logs or errors. Set them before running, e.g. export HEX_TOKEN=... OM_JWT=...
source:
  type: hex
  serviceName: hex_prod                  # the OpenMetadata dashboard service (created or updated)
  serviceConnection:
    config:
      type: Hex
      hostPort: https://app.hex.tech      # your Hex URL (single-tenant and EU hosts too)
      tokenType: workspace                # personal | workspace
      token: \${HEX_TOKEN}
      includeTags: true                   # project categories and status become tags under HexCategories
  sourceConfig:
    config:
      type: DashboardMetadata
      includeOwners: true                 # project owner (else creator) e-mail -> OpenMetadata user or team
      markDeletedDashboards: true         # soft-delete dashboards of projects Hex no longer lists
      dashboardFilterPattern:             # project titles; case-insensitive, anchored at the start; excludes win
        includes: []
        excludes: ["(?i)scratch"]
      chartFilterPattern:                 # chart names (with hexmeta.charts)
        includes: []
        excludes: []
      lineageInformation:
        # Database services whose query history holds the SQL Hex ran: one example per warehouse kind
        # (service, service.database or service.database.schema). Keep the ones you have.
        dbServicePrefixes:
          - snowflake_prod
          - bigquery_prod
          - databricks_prod
          - redshift_prod
          - postgres_prod.analytics
          - mysql_prod
          - mariadb_prod
          - clickhouse_prod
          - trino_prod
          - presto_prod
          - athena_prod
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  loggerLevel: INFO                       # DEBUG | INFO | WARN | ERROR
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: \${OM_JWT}                 # the ingestion bot's token
    storeServiceConnection: true          # false: the Hex connection (and token) is not stored in OpenMetadata
    extraHeaders: {}                      # sent with every OpenMetadata request
# Optional, hexmeta only (defaults shown).
hexmeta:
  # workspace: acme-analytics            # workspace slug for project links (default: the org id Hex reports)
  # hexRequestsPerMinute: 55              # client-side limit, below Hex's 60/min (else HEXMETA_HEX_REQUESTS_PER_MINUTE)
  hexCellRequestsPerMinute: 30            # cell reads: Hex allows 30/min for that group
  # hexMaxRetryAfterSeconds: 900          # a longer Retry-After fails the run (else HEXMETA_HEX_MAX_RETRY_AFTER_SECONDS)
  lookbackDays: 7                         # query-history window
  charts: false                           # chart-like cells and components become charts (reads cells)
  cellLineage: false                      # SQL cells become lineage too (reads cells)
  usage: true                             # app views become daily dashboard usage
  listing: full                           # full, or incremental: latest edits first, stop at unchanged projects
  historyOverlapMinutes: 60               # re-read this much history before where the last run stopped
# Connections for services whose connection OpenMetadata masks or lacks, keyed by database service name, with
# the keys of OpenMetadata's connection of that type. Delete the ones you do not use.
warehouses:
  snowflake_prod:
    type: Snowflake
    account: acme-xy12345
    username: HEXMETA
    password: \${SNOWFLAKE_PASSWORD}
    role: HEXMETA_READER
    warehouse: HEXMETA_WH
  bigquery_prod:
    type: BigQuery
    credentials:
      gcpConfig:
        type: service_account
        projectId: acme-analytics
        privateKeyId: \${GCP_PRIVATE_KEY_ID}
        privateKey: \${GCP_PRIVATE_KEY}
        clientEmail: hexmeta@acme-analytics.iam.gserviceaccount.com
    usageLocation: US
  databricks_prod:
    type: Databricks
    hostPort: adb-1234567890123456.7.azuredatabricks.net:443
    authType:
      token: \${DATABRICKS_TOKEN}
  redshift_prod:
    type: Redshift
    hostPort: acme.abc123.eu-west-1.redshift.amazonaws.com:5439
    username: hexmeta
    authType:
      password: \${REDSHIFT_PASSWORD}
    database: dev
  postgres_prod:
    type: Postgres
    hostPort: pg.internal:5432
    username: hexmeta
    authType:
      password: \${PG_PASSWORD}
    database: analytics
  mysql_prod:
    type: Mysql
    hostPort: mysql.internal:3306
    username: hexmeta
    authType:
      password: \${MYSQL_PASSWORD}
  mariadb_prod:
    type: MariaDB
    hostPort: mariadb.internal:3306
    username: hexmeta
    password: \${MARIADB_PASSWORD}
  clickhouse_prod:
    type: Clickhouse
    hostPort: clickhouse.internal:8123
    username: hexmeta
    password: \${CLICKHOUSE_PASSWORD}
  trino_prod:
    type: Trino
    hostPort: https://trino.internal:443
    username: hexmeta
    authType:
      password: \${TRINO_PASSWORD}
    catalog: hive
  presto_prod:
    type: Presto
    hostPort: presto.internal:8080
    username: hexmeta
    password: \${PRESTO_PASSWORD}
  athena_prod:
    type: Athena
    awsConfig:
      awsAccessKeyId: \${AWS_ACCESS_KEY_ID}
      awsSecretAccessKey: \${AWS_SECRET_ACCESS_KEY}
      awsRegion: eu-west-1
    workgroup: primary
# Per-service query-history reader settings (every reader takes \`marker\`, default "Hex query metadata").
queryHistory:
  snowflake_prod: { accountUsageSchema: SNOWFLAKE.ACCOUNT_USAGE }
  bigquery_prod: { projects: [acme-analytics], location: US }
  databricks_prod: { warehouseIds: [] }   # empty: every SQL warehouse
  redshift_prod: { tables: sys }          # sys (serverless and provisioned) or stl (provisioned only)
  mysql_prod: { trackDefaultDatabase: true }
  athena_prod: { workGroups: [primary] }
`;
