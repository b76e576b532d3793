import { bigQueryCases, databricksCases } from './corpusBigQueryDatabricks';
import { CLASS_CASES } from './corpusClasses';
import type { CorpusCase } from './corpusHelpers';
import { athenaCases, clickhouseCases, mysqlCases, trinoCases } from './corpusOthers';
import { postgresCases, redshiftCases } from './corpusPostgres';
import { snowflakeCases } from './corpusSnowflake';
import { trickyCases, trickyClickHouseTrino } from './corpusTricky';

export type { CorpusCase } from './corpusHelpers';

/** Realistic Hex SQL with the expected tables, shared by the unit tests and `bench/lineage.ts`. */
export const CORPUS: CorpusCase[] = [
  ...snowflakeCases, ...postgresCases, ...redshiftCases, ...bigQueryCases, ...databricksCases,
  ...trinoCases, ...athenaCases, ...mysqlCases, ...clickhouseCases, ...trickyCases, ...trickyClickHouseTrino,
  ...CLASS_CASES,
];
