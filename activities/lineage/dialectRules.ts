import type { Dialect } from './dialect';

/** How a dialect writes and resolves names; everything the tokenizer and name builder need to know. */
export interface DialectRules {
  /** How unquoted identifiers are stored: folded to upper/lower case or kept as written. */
  fold: 'upper' | 'lower' | 'none';
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

const RULES: Record<Dialect, DialectRules> = {
  snowflake: {
    fold: 'upper', nameParts: 3, identifierQuotes: '"', backslashEscapes: true, hashComments: false,
    slashComments: true, nestedComments: false, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'snowflake',
  },
  postgres: {
    fold: 'lower', nameParts: 3, identifierQuotes: '"', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: true, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'postgresql',
  },
  redshift: {
    fold: 'lower', nameParts: 3, identifierQuotes: '"', backslashEscapes: true, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: true, bigQueryNames: false, parserDatabase: 'redshift',
  },
  bigquery: {
    fold: 'none', nameParts: 3, identifierQuotes: '`', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: true, parserDatabase: 'bigquery',
  },
  databricks: {
    fold: 'lower', nameParts: 3, identifierQuotes: '`', backslashEscapes: true, hashComments: false,
    slashComments: false, nestedComments: true, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  trino: {
    fold: 'lower', nameParts: 3, identifierQuotes: '"', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  athena: {
    // Athena DML is Trino's; its DDL (Hive) quotes with backticks.
    fold: 'lower', nameParts: 3, identifierQuotes: '"`', backslashEscapes: false, hashComments: false,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'trino',
  },
  mysql: {
    fold: 'none', nameParts: 2, identifierQuotes: '`', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'mysql',
  },
  clickhouse: {
    fold: 'none', nameParts: 2, identifierQuotes: '`"', backslashEscapes: true, hashComments: true,
    slashComments: false, nestedComments: false, dollarQuotes: false, bigQueryNames: false, parserDatabase: 'mysql',
  },
};

export function rulesFor(dialect: Dialect): DialectRules {
  return RULES[dialect];
}

/** Stored form of one identifier part. */
export function foldIdentifier(text: string, quoted: boolean, rules: DialectRules): string {
  if (quoted || rules.fold === 'none') return text;
  return rules.fold === 'upper' ? text.toUpperCase() : text.toLowerCase();
}
