/** Metadata Hex appends to the SQL it sends to a warehouse (`-- Hex query metadata: {json}`). */
export interface HexQueryMetadata {
  projectId: string;
  /** Workspace slug: first path segment of `project_url` (`/<workspace>/hex/...` or `/<workspace>/app/...`). */
  workspace: string | null;
  context: string | null;
  cellType: string | null;
  userEmail: string | null;
  projectName: string | null;
  connection: string | null;
  traceId: string | null;
  categories: string[];
  status: string | null;
}

const MARKER = '-- Hex query metadata:';
// Any host (multi- or single-tenant); the workspace is the segment before /hex/ or /app/.
const WORKSPACE_IN_URL = /^https?:\/\/[^/]+\/([^/?#]+)\/(?:hex|app)\//i;

/** Start offsets of lines whose trimmed text begins with the marker, last first. */
function markerLines(sql: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  let from = sql.length;
  while (from >= 0) {
    const at = sql.lastIndexOf(MARKER, from);
    if (at < 0) break;
    const lineStart = sql.lastIndexOf('\n', at - 1) + 1;
    if (sql.slice(lineStart, at).trim() === '') {
      const newline = sql.indexOf('\n', at);
      found.push({ start: lineStart, end: newline < 0 ? sql.length : newline });
    }
    from = at - 1;
  }
  return found;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function workspaceFromUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const match = WORKSPACE_IN_URL.exec(url.trim());
  return match ? decodeURIComponent(match[1]) : null;
}

function toMetadata(line: string): HexQueryMetadata | null {
  const brace = line.indexOf('{', line.indexOf(MARKER) + MARKER.length);
  if (brace < 0) return null;
  let parsed: unknown;
  try {
    // The whole rest of the line is the JSON object: titles may contain `}` or escaped quotes.
    parsed = JSON.parse(line.slice(brace).trimEnd());
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const json = parsed as Record<string, unknown>;
  const projectId = stringOrNull(json.project_id)?.trim();
  if (!projectId) return null;
  return {
    projectId,
    workspace: workspaceFromUrl(json.project_url),
    context: stringOrNull(json.context),
    cellType: stringOrNull(json.cell_type),
    userEmail: stringOrNull(json.user_email),
    projectName: stringOrNull(json.project_name),
    connection: stringOrNull(json.connection),
    traceId: stringOrNull(json.trace_id),
    categories: Array.isArray(json.categories) ? json.categories.filter((c): c is string => typeof c === 'string') : [],
    status: stringOrNull(json.status),
  };
}

/**
 * Finds the Hex metadata comment on any whole line of `sql`. The last valid one wins (Hex appends it as
 * the last line; some warehouses drop trailing comments, so a leading one is accepted too).
 */
export function parseHexComment(sql: string): HexQueryMetadata | null {
  if (!sql.includes(MARKER)) return null;
  for (const line of markerLines(sql)) {
    const metadata = toMetadata(sql.slice(line.start, line.end));
    if (metadata) return metadata;
  }
  return null;
}

/** Removes every Hex metadata comment line, leaving the SQL itself. */
export function stripHexComment(sql: string): string {
  if (!sql.includes(MARKER)) return sql;
  let result = sql;
  for (const line of markerLines(sql)) {
    result = result.slice(0, line.start) + result.slice(line.end);
  }
  return result;
}
