import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DIALECTS, isDialect, type Dialect } from '../../activities/lineage/dialect';
import { extractTables } from '../../activities/lineage/extractTables';
import { parseHexComment, type HexQueryMetadata } from '../../activities/lineage/hexComment';

export interface LineageParseOptions {
  /** Required for a single text; with `jsonl`, the dialect of lines that name none. */
  dialect?: string;
  database?: string;
  schema?: string;
  /** One JSON object per input line: {"sql", "dialect", "default_database", "default_schema"}. */
  jsonl?: boolean;
  /** Input file; absent or '-' reads stdin. */
  file?: string;
}

export interface LineageParseIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Where usage errors go; process.stderr when absent. */
  stderr?: NodeJS.WritableStream;
}

interface ParseResult {
  hex: HexQueryMetadata | null;
  tables: string[];
  warnings: string[];
  error?: string;
}

function analyse(sql: string, dialect: Dialect, database: string | null, schema: string | null): ParseResult {
  const { tables, warnings } = extractTables({ sql, dialect, defaultDatabase: database, defaultSchema: schema });
  return { hex: parseHexComment(sql, dialect), tables, warnings };
}

function inputStream(opts: LineageParseOptions, io: LineageParseIo): NodeJS.ReadableStream {
  return opts.file && opts.file !== '-' ? createReadStream(opts.file, 'utf8') : io.stdin;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  return chunks.join('');
}

/** Writes respecting back-pressure so tens of thousands of lines stream without piling up in memory. */
function writeLine(stdout: NodeJS.WritableStream, line: string): Promise<void> | void {
  if (stdout.write(line + '\n')) return;
  return new Promise((resolve) => stdout.once('drain', () => resolve()));
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function analyseLine(line: string, lineNumber: number, opts: LineageParseOptions, fallback: Dialect | null): ParseResult {
  const failed = (error: string): ParseResult => ({ hex: null, tables: [], warnings: [], error: `line ${lineNumber}: ${error}` });
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return failed('not valid JSON');
  }
  if (row === null || typeof row !== 'object' || typeof (row as { sql?: unknown }).sql !== 'string') {
    return failed('expected an object with a string "sql"');
  }
  const fields = row as Record<string, unknown>;
  const dialect = fields.dialect === undefined || fields.dialect === null ? fallback : fields.dialect;
  if (dialect === null) return failed(`no "dialect" on the line and no --dialect default; use one of: ${DIALECTS.join(', ')}`);
  if (!isDialect(dialect)) return failed(`unknown dialect ${JSON.stringify(dialect)}`);
  const database = 'default_database' in fields ? optionalString(fields.default_database) : opts.database ?? null;
  const schema = 'default_schema' in fields ? optionalString(fields.default_schema) : opts.schema ?? null;
  return analyse(fields.sql as string, dialect, database, schema);
}

/**
 * `hexmeta lineage parse`: prints the Hex metadata and the tables read by SQL. Returns the exit code:
 * 0 on success, 1 when an input line could not be read (its output line carries "error"), 2 on bad usage.
 */
export async function lineageParse(opts: LineageParseOptions, io: LineageParseIo): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  if (opts.dialect === undefined && !opts.jsonl) {
    stderr.write(`--dialect is required to parse one text (with --jsonl each line may name its own). Use one of: ${DIALECTS.join(', ')}.\n`);
    return 2;
  }
  if (opts.dialect !== undefined && !isDialect(opts.dialect)) {
    stderr.write(`Unknown dialect "${opts.dialect}". Use one of: ${DIALECTS.join(', ')}.\n`);
    return 2;
  }
  const dialect = opts.dialect ?? null;
  let input: NodeJS.ReadableStream;
  try {
    input = inputStream(opts, io);
  } catch (error) {
    stderr.write(`Cannot read ${opts.file}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    if (!opts.jsonl) {
      const sql = await readAll(input);
      await writeLine(io.stdout, JSON.stringify(analyse(sql, dialect!, opts.database ?? null, opts.schema ?? null)));
      return 0;
    }
    let lineNumber = 0;
    let failures = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      const result = analyseLine(line, lineNumber, opts, dialect);
      if (result.error) failures++;
      await writeLine(io.stdout, JSON.stringify(result));
    }
    return failures > 0 ? 1 : 0;
  } catch (error) {
    stderr.write(`Cannot read ${opts.file ?? 'stdin'}: ${(error as Error).message}\n`);
    return 2;
  }
}
