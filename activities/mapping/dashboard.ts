import { createHash } from 'node:crypto';
import type { HexProject } from '../hex/types';
import type { CreateDashboard, EntityReference } from '../openmetadata/types';
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

/** Fingerprint of a request, as OpenMetadata's `sourceHash` (MD5 of sorted-key JSON, sourceHash left out). */
export function sourceHashOf(request: CreateDashboard): string {
  const { sourceHash: _ignored, ...rest } = request;
  const normalised = {
    ...rest,
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
}

/** CreateDashboard for one Hex project (spec/api/data/createDashboard.json). */
export function toCreateDashboard(project: HexProject, ctx: DashboardContext): CreateDashboard {
  const request: CreateDashboard = { name: project.id, service: ctx.serviceName };
  if (project.title) request.displayName = project.title;
  const description = typeof project.description === 'string' ? project.description.trim() : '';
  if (description) request.description = description;
  const url = projectUrl(ctx.hostPort, ctx.workspace, project);
  if (url) request.sourceUrl = url;
  request.dashboardType = 'Dashboard';
  if (ctx.tagNames.length) request.tags = ctx.tagNames.map(tagLabel);
  if (ctx.owner) request.owners = [{ id: ctx.owner.id, type: ctx.owner.type }];
  request.sourceHash = sourceHashOf(request);
  return request;
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
