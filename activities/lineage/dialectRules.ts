import type { Dialect } from './dialect';

/** How a dialect writes and resolves names; everything the tokenizer and name builder need to know. */
export interface DialectRules {
  /** How unquoted identifiers are stored: folded to upper/lower case or kept as written. */
  fold: 'upper' | 'lower' | 'none';
  /** How quoted identifiers are stored: kept as written, or lower-cased like every other name. */
  quotedFold: 'none' | 'lower';
  /** `FROM t AS o, o.items AS i`: a dotted name starting with an earlier alias is a path into that row. */
  aliasPaths: boolean;
  /** Name parts of a fully qualified table: 3 = database.schema.table, 2 = database.table. */
  nameParts: 2 | 3;
  /** Characters that quote identifiers (the others of `"`/`` ` `` quote strings). */
  identifierQuotes: string;
  /** Backslash escapes inside string literals. */
  backslashEscapes: boolean;
  /** `#` starts a line comment. */
  hashComments: boolean;
  /** `//` starts a line comment (Snowflake). */
  slashComments: boolean;
  /** Block comments nest (PostgreSQL, Spark). */
  nestedComments: boolean;
  /** `$tag$ ... $tag$` strings. */
  dollarQuotes: boolean;
  /** BigQuery: `'''`/`"""` strings, dashes in project names, `*` table wildcards, one backtick path. */
  bigQueryNames: boolean;
  /** node-sql-parser grammar for this dialect, null when none fits well enough. */
  parserDatabase: string | null;
}

/*
 * Folding of quoted names, as each warehouse documents it:
 * - Redshift: "enable_case_sensitive_identifier" (Amazon Redshift Database Developer Guide, configuration
 *   reference, https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html): quoted
 *   names are lower-cased too unless the setting is true; it is false by default. A `SET ... TO true` in the text
 *   itself is honoured (see extractTables).
 * - Trino: "Keywords and identifiers" (https://trino.io/docs/current/language/reserved.html): identifiers are
 *   not case sensitive, quoted or not; catalogs store them lower-cased.
 * - Athena: "Name databases, tables, and columns" (https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html):
 *   Glue names are lower case and Athena lower-cases names when it runs a query.
 * - Databricks: "Names" (https://docs.databricks.com/sql/language-manual/sql-ref-names.html): Unity Catalog
 *   stores all object names as lower case and matches them without case.
 * Snowflake and PostgreSQL keep quoted names as written; BigQuery, MySQL and ClickHouse never fold.
 */
const RULES: Record<Dialect, DialectRules> = {
  snowflake: {
    fold: 'upper', quotedFold: 'none', aliasPaths: false, nameParts: 3, identifierQuotes: '"', backslashEscapes: true, hashComments: false,
    slashComments: true, nestedComments: false, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'snowflake',
  },
  postgres: {
    fold: 'lower', quotedFold: 'none', aliasPaths: false, nameParts: 3, identifierQuotes: '"', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: true, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'postgresql',
  },
  redshift: {
    fold: 'lower', quotedFold: 'lower', aliasPaths: true, nameParts: 3, identifierQuotes: '"', backslashEscapes: true, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'redshift',
  },
  bigquery: {
    fold: 'none', quotedFold: 'none', aliasPaths: true, nameParts: 3, identifierQuotes: '`', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: true, parserDatabase: 'bigquery',
  },
  databricks: {
    fold: 'lower', quotedFold: 'lower', aliasPaths: false, nameParts: 3, identifierQuotes: '`', backslashEscapes: true, hashComments: false,
    slashComments: false, nestedComments: true, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  trino: {
    fold: 'lower', quotedFold: 'lower', aliasPaths: false, nameParts: 3, identifierQuotes: '"', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  athena: {
    // Athena DML is Trino's; its DDL (Hive) quotes with backticks.
    fold: 'lower', quotedFold: 'lower', aliasPaths: false, nameParts: 3, identifierQuotes: '"`', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  mysql: {
    fold: 'none', quotedFold: 'none', aliasPaths: false, nameParts: 2, identifierQuotes: '`', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'mysql',
  },
  clickhouse: {
    fold: 'none', quotedFold: 'none', aliasPaths: false, nameParts: 2, identifierQuotes: '`"', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'mysql',
  },
};

export function rulesFor(dialect: Dialect): DialectRules {
  return RULES[dialect];
}

/** Stored form of one identifier part. */
export function foldIdentifier(text: string, quoted: boolean, rules: DialectRules): string {
  if (quoted) return rules.quotedFold === 'lower' ? text.toLowerCase() : text;
  if (rules.fold === 'none') return text;
  return rules.fold === 'upper' ? text.toUpperCase() : text.toLowerCase();
}
