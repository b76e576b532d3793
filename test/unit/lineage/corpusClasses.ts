import { casesFor, type CorpusCase, type LineageClass } from './corpusHelpers';

/** Tags each case with its class and the documented rule it checks (the note is the case's last word). */
function tagged(lineageClass: LineageClass, cases: CorpusCase[], rules: string[]): CorpusCase[] {
  return cases.map((c, i) => ({ ...c, lineageClass, rule: rules[i] }));
}

type Row = [name: string, sql: string, expected: string[], rule: string];
function classCases(lineageClass: LineageClass, dialect: CorpusCase['dialect'], defaults: Parameters<typeof casesFor>[1], rows: Row[]): CorpusCase[] {
  return tagged(lineageClass, casesFor(dialect, defaults, rows.map(([name, sql, expected]) => [name, sql, expected])), rows.map((r) => r[3]));
}

const PG = { defaultDatabase: 'db', defaultSchema: 'public' };
const RS = { defaultDatabase: 'dev', defaultSchema: 'public' };
const SF = { defaultDatabase: 'DB', defaultSchema: 'S' };
const BQ = { defaultDatabase: 'proj', defaultSchema: null };
const DBX = { defaultDatabase: 'main', defaultSchema: 'default' };
const TRINO = { defaultDatabase: 'hive', defaultSchema: 'web' };
const ATHENA = { defaultDatabase: 'awsdatacatalog', defaultSchema: 'default' };
const MY = { defaultDatabase: 'shop', defaultSchema: null };

/** A table created earlier in the same text and read later is an intermediate: only what feeds it is upstream. */
export const intermediateCases: CorpusCase[] = [
  ...classCases('intermediate', 'postgres', PG, [
    ['temp table as, then read', "create temp table recent as select * from sales.orders where day > now() - interval '7 days';\nselect r.*, c.name from recent r join crm.customers c on c.id = r.cid",
      ['db.crm.customers', 'db.sales.orders'], 'PostgreSQL CREATE TEMP TABLE ... AS: the new table lives in the session; later statements read it, not a warehouse table'],
    ['select into temp', 'SELECT id, total INTO TEMP top_orders FROM sales.orders ORDER BY total DESC LIMIT 10;\nSELECT * FROM top_orders',
      ['db.sales.orders'], 'PostgreSQL SELECT ... INTO [TEMP] [TABLE] new_table creates a table from the query result'],
    ['create view then read', 'create view active_users as select * from app.users where active;\nselect count(*) from active_users join app.plans p on p.id = plan_id',
      ['db.app.plans', 'db.app.users'], 'PostgreSQL CREATE VIEW: a view defined in the text is resolved to its own query'],
  ]),
  ...classCases('intermediate', 'redshift', RS, [
    ['select into temp table', 'select * into temp table big_spenders from finance.payments where amount > 100;\nselect * from big_spenders b join finance.users u on u.id = b.uid',
      ['dev.finance.payments', 'dev.finance.users'], 'Redshift SELECT INTO [TEMP [TABLE]] creates a new table from the query'],
    ['create temporary table as', 'create temporary table #stage as select * from events.clicks;\nselect * from #stage',
      ['dev.events.clicks'], 'Redshift CREATE TEMP TABLE AS (CTAS); # prefixes a temporary table name'],
  ]),
  ...classCases('intermediate', 'databricks', DBX, [
    ['create or replace using delta as', 'CREATE OR REPLACE TABLE tmp_events USING DELTA AS SELECT * FROM raw.events WHERE dt = current_date();\nSELECT count(*) FROM tmp_events JOIN dims.users USING (uid)',
      ['main.dims.users', 'main.raw.events'], 'Databricks CREATE TABLE ... USING data_source AS query: USING names a file format, never a table'],
    ['temporary view', 'CREATE OR REPLACE TEMPORARY VIEW v_orders AS SELECT * FROM sales.orders;\nSELECT * FROM v_orders',
      ['main.sales.orders'], 'Databricks CREATE TEMPORARY VIEW is session-scoped and read back by its name'],
  ]),
  ...classCases('intermediate', 'snowflake', SF, [
    ['temporary table then view', 'create or replace temporary table T_ACTIVE as select * from CORE.USERS where active;\ncreate view V_ACTIVE as select * from T_ACTIVE;\nselect * from V_ACTIVE join CORE.PLANS p on p.id = plan_id',
      ['DB.CORE.PLANS', 'DB.CORE.USERS'], 'Snowflake CREATE TEMPORARY TABLE ... AS SELECT and CREATE VIEW: both are read back by name in the same text'],
  ]),
  ...classCases('intermediate', 'trino', TRINO, [
    ['ctas in another catalog', 'create table memory.default.stage as select * from hive.web.clicks;\nselect * from memory.default.stage s join hive.web.pages p on p.id = s.page_id',
      ['hive.web.clicks', 'hive.web.pages'], 'Trino CREATE TABLE AS creates the table the next statement reads'],
  ]),
  ...classCases('intermediate', 'bigquery', BQ, [
    ['temp table in a script', 'CREATE TEMP TABLE recent AS SELECT * FROM ds.orders;\nSELECT * FROM recent JOIN ds.users USING (uid)',
      ['proj.ds.orders', 'proj.ds.users'], 'BigQuery multi-statement query: CREATE TEMP TABLE lives for the script'],
  ]),
  ...classCases('intermediate', 'mysql', MY, [
    ['temporary table', 'create temporary table t_recent as select * from shop.orders;\nselect * from t_recent join shop.users u on u.id = t_recent.uid',
      ['shop.orders', 'shop.users'], 'MySQL CREATE TEMPORARY TABLE ... SELECT is visible only to the session that made it'],
  ]),
];

/** Each warehouse's documented folding of quoted and unquoted names. */
export const foldingCases: CorpusCase[] = [
  ...classCases('folding', 'redshift', RS, [
    ['quoted folds to lower by default', 'select * from "Sales"."Orders"', ['dev.sales.orders'],
      'Redshift: with enable_case_sensitive_identifier false (the default), quoted names are folded to lower case'],
    ['case sensitive once set', 'set enable_case_sensitive_identifier to true;\nselect * from "Sales"."Orders"', ['dev.Sales.Orders'],
      'Redshift: SET enable_case_sensitive_identifier TO true keeps the case of quoted names'],
    ['reset returns to folding', 'set enable_case_sensitive_identifier to true;\nselect * from "MixedCase";\nreset enable_case_sensitive_identifier;\nselect * from "Other"',
      ['dev.public.MixedCase', 'dev.public.other'], 'Redshift: RESET enable_case_sensitive_identifier restores the default (folding)'],
  ]),
  ...classCases('folding', 'trino', TRINO, [
    ['quoted folds to lower', 'select * from "Iceberg"."Sales"."Orders"', ['iceberg.sales.orders'],
      'Trino: identifiers are not case sensitive; quoted names are lower-cased too'],
    ['use with quoted names', 'use "Iceberg"."Analytics";\nselect * from Facts', ['iceberg.analytics.facts'],
      'Trino: USE catalog.schema names fold like any identifier'],
  ]),
  ...classCases('folding', 'athena', ATHENA, [
    ['quoted folds to lower', 'select * from "Sales"."Orders"', ['awsdatacatalog.sales.orders'],
      'Athena: names are lower case in the Glue catalog and queries use lower case names, quoted or not'],
    ['backticks fold to lower', 'select * from `Logs`.`CloudTrail`', ['awsdatacatalog.logs.cloudtrail'],
      'Athena: backtick-quoted (Hive DDL style) names are lower-cased as well'],
  ]),
  ...classCases('folding', 'databricks', DBX, [
    ['backticks fold to lower', 'select * from `Main`.`Sales`.`Orders`', ['main.sales.orders'],
      'Databricks Unity Catalog stores object names in lower case and matches them without case'],
    ['use catalog quoted', 'use catalog `Prod`;\nselect * from `Sales`.Orders', ['prod.sales.orders'],
      'Databricks Unity Catalog: catalog names are case-insensitive'],
  ]),
];

/** A path on an alias (array or SUPER navigation) is not a table. */
export const navigationCases: CorpusCase[] = [
  ...classCases('navigation', 'redshift', RS, [
    ['super array after comma', 'select o.id, i.sku from sales.orders as o, o.items as i', ['dev.sales.orders'],
      'Redshift PartiQL: FROM t AS o, o.items AS i unnests a SUPER array of the row o'],
    ['chained navigation', 'select c.id, l.qty from crm.customers c, c.orders o, o.lines l', ['dev.crm.customers'],
      'Redshift PartiQL: each later FROM item may navigate an earlier alias'],
  ]),
  ...classCases('navigation', 'postgres', PG, [
    ['unnest of a column', 'select o.id, item from sales.orders o, unnest(o.items) as item', ['db.sales.orders'],
      'PostgreSQL: UNNEST(array) in FROM is a set-returning function'],
  ]),
  ...classCases('navigation', 'snowflake', SF, [
    ['lateral flatten', 'select o.id, f.value:sku::string from raw.orders o, lateral flatten(input => o.items) f', ['DB.RAW.ORDERS'],
      'Snowflake: LATERAL FLATTEN(INPUT => expr) is a table function over a column'],
    ['table flatten', 'select f.value from raw.events e, table(flatten(e.payload:items)) f', ['DB.RAW.EVENTS'],
      'Snowflake: TABLE(FLATTEN(...)) is a table function, not a table'],
  ]),
  ...classCases('navigation', 'bigquery', BQ, [
    ['implicit unnest with alias', 'select o.id, item.sku from ds.orders o, o.items as item', ['proj.ds.orders'],
      'BigQuery: FROM t, t.array_column is an implicit UNNEST of the column'],
    ['implicit unnest by table name', 'select * from ds.orders, orders.items', ['proj.ds.orders'],
      'BigQuery: the table name is a range variable, so orders.items is its array column'],
    ['unnest in cross join', 'select o.id, i from ds.orders o cross join unnest(o.items) i', ['proj.ds.orders'],
      'BigQuery: UNNEST(t.arr) flattens an array column'],
    ['correlated left join path', 'select o.id, i.sku from ds.orders o left join o.items i', ['proj.ds.orders'],
      'BigQuery: a correlated join may name an array path of an earlier range variable'],
  ]),
  ...classCases('navigation', 'databricks', DBX, [
    ['lateral view explode', 'select o.id, item from sales.orders o lateral view explode(o.items) t as item', ['main.sales.orders'],
      'Databricks LATERAL VIEW generator: explode(expr) produces rows from a column'],
  ]),
];

/** BigQuery names: INFORMATION_SCHEMA qualifiers and aliases that spell a dataset. */
export const bigQueryQualificationCases: CorpusCase[] = classCases('bigqueryQualification', 'bigquery', BQ, [
  ['region information schema', "select * from region-us.INFORMATION_SCHEMA.JOBS where creation_time > timestamp '2025-01-01'",
    ['proj.region-us.INFORMATION_SCHEMA.JOBS'], 'BigQuery: `region-REGION.INFORMATION_SCHEMA.VIEW` runs in the default project'],
  ['dataset information schema', "select column_name from analytics.INFORMATION_SCHEMA.COLUMNS where table_name = 'orders'",
    ['proj.analytics.INFORMATION_SCHEMA.COLUMNS'], 'BigQuery: `dataset.INFORMATION_SCHEMA.VIEW` takes the default project like any dataset.table'],
  ['quoted region', 'select * from `region-eu`.INFORMATION_SCHEMA.JOBS_BY_PROJECT', ['proj.region-eu.INFORMATION_SCHEMA.JOBS_BY_PROJECT'],
    'BigQuery: a quoted region qualifier is the same qualifier'],
  ['project qualified information schema', 'select * from other-proj.ds.INFORMATION_SCHEMA.TABLES', ['other-proj.ds.INFORMATION_SCHEMA.TABLES'],
    'BigQuery: `project.dataset.INFORMATION_SCHEMA.VIEW` names its project'],
  ['alias equal to dataset', 'select * from sales.orders as sales join sales.refunds r on r.oid = sales.id', ['proj.sales.orders', 'proj.sales.refunds'],
    'BigQuery: an alias spelled like a dataset does not turn dataset.table into an array path'],
  ['alias equal to dataset in join', 'select * from mart.daily as mart join mart.weekly w on w.day = mart.day', ['proj.mart.daily', 'proj.mart.weekly'],
    'BigQuery: dataset-qualified names qualify the same whatever the aliases'],
  ['information schema with alias', 'select t.table_name from ds.INFORMATION_SCHEMA.TABLES t join ds.tables_meta m on m.name = t.table_name',
    ['proj.ds.INFORMATION_SCHEMA.TABLES', 'proj.ds.tables_meta'], 'BigQuery: INFORMATION_SCHEMA views beside ordinary tables'],
]);

export const CLASS_CASES: CorpusCase[] = [...intermediateCases, ...foldingCases, ...navigationCases, ...bigQueryQualificationCases];
