import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { compileFilterPattern } from '../mapping/pythonRegex';
import { MIN_SECRET_LENGTH } from '../common/scrubber';
import { isOnlyReferences } from './env';
import { workflowFileSchema } from './schema';
import { collectSecrets } from './secrets';
import { sizeProblem } from './size';
import type { FilterPattern, IngestionPlan } from './types';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
addFormats(ajv);
const checkShape = ajv.compile(workflowFileSchema);

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function describe(error: ErrorObject): string {
  const at = dotted(error.instancePath);
  const prefix = (key: string) => (at ? `${at}.${key}` : key);
  switch (error.keyword) {
    case 'additionalProperties':
      return `${prefix(String(error.params.additionalProperty))}: unknown key`;
    case 'required':
      return `${prefix(String(error.params.missingProperty))}: is required`;
    case 'enum':
      return `${at}: must be ${(error.params.allowedValues as unknown[]).join(' or ')}`;
    case 'const':
      return `${at}: must be ${String(error.params.allowedValue)}`;
    case 'format':
      return `${at}: must be a valid ${error.params.format === 'uri' ? 'URL' : error.params.format}`;
    default:
      return `${at || '(top level)'}: ${error.message ?? 'is invalid'}`;
  }
}

function regexProblems(pattern: unknown, path: string): string[] {
  if (!pattern || typeof pattern !== 'object') return [];
  const problems: string[] = [];
  for (const list of ['includes', 'excludes'] as const) {
    const items = (pattern as Record<string, unknown>)[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (typeof item !== 'string') return;
      try {
        compileFilterPattern(item);
      } catch (error) {
        problems.push(`${path}.${list}[${i}]: invalid regular expression ${JSON.stringify(item)}: ${(error as Error).message}`);
      }
    });
  }
  return problems;
}

/** `credential` names where the credential belongs instead of the URL. */
function urlProblems(value: unknown, path: string, credential: string): string[] {
  if (typeof value !== 'string') return [];
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return [`${path}: must be an http(s) URL`];
    // The URL's user:password would be sent as Basic credentials instead of the Bearer token.
    if (url.username || url.password) return [`${path}: must not contain credentials (user:password@); ${credential}`];
  } catch {
    return []; // reported by the format check
  }
  return [];
}

type Obj = Record<string, any>;

/**
 * A secret shorter than this cannot be masked safely: as a whole token it still matches ordinary words and
 * numbers. Eight characters is also the usual floor for passwords (NIST SP 800-63B).
 */
function shortSecretProblems(file: unknown): string[] {
  return collectSecrets(file)
    .filter((s) => !isOnlyReferences(s.value) && s.value.length < MIN_SECRET_LENGTH)
    .map((s) => `${s.path}: a secret must be at least ${MIN_SECRET_LENGTH} characters long (this one has ${s.value.length}); shorter values cannot be masked in logs, errors and workflow history without masking ordinary words`);
}

/** Checks a workflow file whose `${...}` references are already substituted; returns every problem found. */
export function validateWorkflowFile(file: unknown): string[] {
  if (!file || typeof file !== 'object' || Array.isArray(file)) return ['(top level): must be a mapping'];
  const tooLarge = sizeProblem(file);
  if (tooLarge) return [tooLarge];
  const problems = checkShape(file) ? [] : (checkShape.errors ?? []).map(describe);
  const doc = file as Obj;
  const connection = doc.source?.serviceConnection?.config;
  const pipeline = doc.source?.sourceConfig?.config;
  if (!connection) problems.push('source.serviceConnection.config: is required (hexmeta reads Hex directly)');
  problems.push(
    ...regexProblems(connection?.dashboardFilterPattern, 'source.serviceConnection.config.dashboardFilterPattern'),
    ...regexProblems(pipeline?.dashboardFilterPattern, 'source.sourceConfig.config.dashboardFilterPattern'),
    ...regexProblems(pipeline?.chartFilterPattern, 'source.sourceConfig.config.chartFilterPattern'),
    ...urlProblems(connection?.hostPort, 'source.serviceConnection.config.hostPort', 'the Hex token goes in source.serviceConnection.config.token'),
    ...urlProblems(
      doc.workflowConfig?.openMetadataServerConfig?.hostPort, 'workflowConfig.openMetadataServerConfig.hostPort',
      'the JWT goes in workflowConfig.openMetadataServerConfig.securityConfig.jwtToken',
    ),
    ...shortSecretProblems(doc),
  );
  if (typeof pipeline?.includeUsage === 'boolean' && typeof doc.hexmeta?.usage === 'boolean' && pipeline.includeUsage !== doc.hexmeta.usage) {
    problems.push('hexmeta.usage: is an alias of source.sourceConfig.config.includeUsage and says the opposite; keep one of them');
  }
  if (!doc.sink) problems.push('sink: is required (type: metadata-rest) for anything to be written');
  return [...new Set(problems)];
}

function filterFrom(pattern: Obj | undefined): FilterPattern | null {
  if (!pattern) return null;
  return { includes: pattern.includes ?? [], excludes: pattern.excludes ?? [] };
}

/** The non-secret plan of a valid workflow file. */
export function planFrom(file: Obj): IngestionPlan {
  const connection: Obj = file.source.serviceConnection.config;
  const pipeline: Obj = file.source.sourceConfig.config ?? {};
  const hexmeta: Obj = file.hexmeta ?? {};
  return {
    serviceName: file.source.serviceName,
    hexHostPort: String(connection.hostPort).replace(/\/+$/, ''),
    tokenType: connection.tokenType ?? 'personal',
    // The pipeline option wins where both are given, as OpenMetadata's source reads the pipeline one.
    includeTags: pipeline.includeTags ?? connection.includeTags ?? true,
    includeOwners: pipeline.includeOwners ?? false,
    // OpenMetadata's 2.0 client takes either the pipeline's overrideMetadata or the sink's override_metadata.
    overrideMetadata: pipeline.overrideMetadata === true || file.sink?.config?.override_metadata === true,
    markDeletedDashboards: pipeline.markDeletedDashboards ?? true,
    markDeletedCharts: pipeline.markDeletedCharts ?? true,
    dashboardFilterPattern: filterFrom(pipeline.dashboardFilterPattern ?? connection.dashboardFilterPattern),
    hasProjectFilterPattern: pipeline.projectFilterPattern !== undefined,
    chartFilterPattern: filterFrom(pipeline.chartFilterPattern),
    dbServicePrefixes: pipeline.lineageInformation?.dbServicePrefixes ?? [],
    loggerLevel: file.workflowConfig.loggerLevel ?? 'INFO',
    workspace: hexmeta.workspace ?? null,
    lookbackDays: hexmeta.lookbackDays ?? 7,
    // Both read every changed project's cells, which Hex limits to 30 requests a minute: opt-in.
    charts: hexmeta.charts ?? false,
    cellLineage: hexmeta.cellLineage ?? false,
    usage: pipeline.includeUsage ?? hexmeta.usage ?? true,
    listing: hexmeta.listing ?? 'full',
    historyOverlapMinutes: hexmeta.historyOverlapMinutes ?? 60,
  };
}
