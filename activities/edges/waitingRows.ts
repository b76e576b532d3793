// Rows whose dashboard does not exist yet, kept per project in a compact form: one SQL per table name.

/** One name as extracted, with the database its statement ran in (the history row's) when the name has none. */
export interface NamedTable {
  name: string;
  database: string | null;
  sql: string;
  rows: number;
}

/** Table names of rows read (keyed by name and database), with the SQL of the first row naming each and how many rows named it. */
export type NamedTables = Map<string, NamedTable>;

/** Rows of one project whose dashboard does not exist yet, kept compact: one SQL per table name. */
export interface WaitingProject {
  rows: number;
  tables: NamedTables;
  /** Roughly what they hold in memory. */
  bytes: number;
}

/** Memory of a kept table name besides its text: map entry, record, count. */
const BYTES_PER_NAME = 96;

/** Names of `tables` the project does not have yet in `projects`. */
export function newNames(projects: Map<string, WaitingProject>, projectId: string, tables: NamedTables): number {
  const project = projects.get(projectId);
  return project ? [...tables.keys()].filter((name) => !project.tables.has(name)).length : tables.size;
}

/**
 * Adds a row's names to its project (one SQL per name, rows counted); returns how many names were new and the
 * bytes they hold (the row's SQL is kept once, for all its new names).
 */
export function addRow(projects: Map<string, WaitingProject>, projectId: string, tables: NamedTables): { added: number; bytes: number } {
  const project = projects.get(projectId) ?? { rows: 0, tables: new Map(), bytes: 0 };
  projects.set(projectId, project);
  project.rows++;
  let added = 0;
  let bytes = 0;
  for (const [name, named] of tables) {
    const kept = project.tables.get(name);
    if (kept) kept.rows += named.rows;
    else {
      project.tables.set(name, { ...named });
      bytes += (added === 0 ? named.sql.length : 0) + name.length + BYTES_PER_NAME;
      added++;
    }
  }
  project.bytes += bytes;
  return { added, bytes };
}
