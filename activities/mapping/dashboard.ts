import { createHash } from 'node:crypto';
import type { HexProject } from '../hex/types';
import type { CreateDashboard, EntityReference, TagLabel } from '../openmetadata/types';
import { tagLabel } from './tags';

/** Hex's project link: the app view once published, else the logic view. */
export function projectUrl(hostPort: string, workspace: string | null, project: HexProject): string | undefined {
  if (!workspace) return undefined;
  const view = project.lastPublishedAt ? 'app' : 'hex';
  return `${hostPort.replace(/\/+$/, '')}/${encodeURIComponent(workspace)}/${view}/${encodeURIComponent(project.id)}`;
}

/** The project owner's e-mail, else its creator's. */
export function ownerEmailOf(project: HexProject): string | null {
  const email = project.owner?.email || project.creator?.email;
  return typeof email === 'string' && email.trim() ? email.trim() : null;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Fingerprint of a request, as OpenMetadata's `sourceHash` (MD5 of sorted-key JSON, sourceHash left out).
 * `extra` adds what the request does not show but its content depends on (the project's last edit, when
 * charts come from its cells), so a changed input changes the fingerprint.
 */
export function sourceHashOf(
  request: { sourceHash?: string; tags?: TagLabel[]; owners?: EntityReference[] },
  extra?: Record<string, unknown>,
): string {
  const { sourceHash: _ignored, ...rest } = request;
  const normalised = {
    ...rest,
    ...(extra ? { ' extra': extra } : {}),
    tags: rest.tags ? [...rest.tags].sort((a, b) => (a.tagFQN < b.tagFQN ? -1 : 1)) : undefined,
    owners: rest.owners ? rest.owners.map((o) => ({ id: o.id, type: o.type })).sort((a, b) => (a.id < b.id ? -1 : 1)) : undefined,
  };
  return createHash('md5').update(stableJson(normalised)).digest('hex');
}

export interface DashboardContext {
  serviceName: string;
  hostPort: string;
  workspace: string | null;
  /** Tag names that exist in OpenMetadata (only these are attached). */
  tagNames: string[];
  owner: EntityReference | null;
  /** Chart FQNs (cells read from Hex); undefined when charts are not read. */
  charts?: string[];
}

/** C0 and C1 control characters and DEL: a PostgreSQL-backed OpenMetadata refuses NUL in text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LINE_CONTROL = /[\t\n\v\f\r]+/g;
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A title on one line: line and tab controls become a space, other control characters are removed. */
export function cleanTitle(title: string): string {
  return title.replace(LINE_CONTROL, ' ').replace(CONTROL, '');
}

/** A description keeps its line breaks (`\r\n` as `\n`) and tabs; other control characters are removed. */
export function cleanDescription(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(DESCRIPTION_CONTROL, '');
}

/** Why a project's text is changed on its way to OpenMetadata, or null when it is written as Hex has it. */
export function controlCharactersReason(project: Pick<HexProject, 'title' | 'description'>): string | null {
  const changed: string[] = [];
  if (typeof project.title === 'string' && cleanTitle(project.title) !== project.title) changed.push('title');
  if (typeof project.description === 'string' && cleanDescription(project.description) !== project.description.replace(/\r\n?/g, '\n')) {
    changed.push('description');
  }
  return changed.length ? `control characters (NUL, escape, ...) removed from its ${changed.join(' and ')}` : null;
}

/** CreateDashboard for one Hex project (spec/api/data/createDashboard.json). */
export function toCreateDashboard(project: HexProject, ctx: DashboardContext): CreateDashboard {
  const request: CreateDashboard = { name: project.id, service: ctx.serviceName };
  const title = project.title ? cleanTitle(project.title) : '';
  if (title) request.displayName = title;
  const description = typeof project.description === 'string' ? cleanDescription(project.description).trim() : '';
  if (description) request.description = description;
  const url = projectUrl(ctx.hostPort, ctx.workspace, project);
  if (url) request.sourceUrl = url;
  request.dashboardType = 'Dashboard';
  if (ctx.tagNames.length) request.tags = ctx.tagNames.map(tagLabel);
  if (ctx.owner) request.owners = [{ id: ctx.owner.id, type: ctx.owner.type }];
  request.sourceHash = projectFingerprint(project, request, ctx.charts !== undefined);
  if (ctx.charts?.length) request.charts = ctx.charts;
  return request;
}

/**
 * The dashboard's `sourceHash`: its request without charts, plus the project's last edit when charts come from
 * cells. Equal fingerprints mean nothing to read again, so an unchanged project costs no cell read either.
 */
export function projectFingerprint(project: HexProject, request: CreateDashboard, readsCells: boolean): string {
  const { charts: _charts, ...withoutCharts } = request;
  return sourceHashOf(withoutCharts, readsCells ? { lastEditedAt: project.lastEditedAt ?? null } : undefined);
}

/** Why a listed item cannot become a dashboard, or null when it can. */
export function malformedReason(project: unknown): string | null {
  if (!project || typeof project !== 'object') return 'not an object';
  const p = project as Record<string, unknown>;
  if (typeof p.id !== 'string' || !p.id.trim()) return 'missing id';
  if (p.id.includes('::') || p.id.length > 256) return `id ${JSON.stringify(p.id.slice(0, 80))} is not a valid entity name`;
  if (p.title !== null && p.title !== undefined && typeof p.title !== 'string') return 'title is not a string';
  return null;
}
