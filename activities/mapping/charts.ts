import type { HexCell, HexProject } from '../hex/types';
import { buildFqn } from '../openmetadata/fqn';
import type { ChartType, CreateChart, EntityReference } from '../openmetadata/types';
import { cleanDescription, cleanTitle, projectUrl, sourceHashOf } from './dashboard';
import { tagLabel } from './tags';

/**
 * Cell types that show a result to the reader. Hex's API tells a cell's type but not the kind of visual
 * (bar, line...), so charts and explores are `Other` rather than a guess.
 */
const CHART_TYPE_OF_CELL: Record<string, ChartType> = {
  CHART: 'Other',
  VEGA_CHART: 'Other',
  EXPLORE: 'Other',
  MAP: 'Map',
  PIVOT: 'Table',
  DISPLAY_TABLE: 'Table',
  METRIC: 'Text',
};

export function isChartCell(cell: HexCell): boolean {
  return Object.hasOwn(CHART_TYPE_OF_CELL, cell?.cellType);
}

function readable(cellType: string): string {
  const words = cellType.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

export interface ChartContext {
  serviceName: string;
  hostPort: string;
  workspace: string | null;
}

/** The cell's link in the project's logic view, where Hex selects it. */
function cellUrl(ctx: ChartContext, project: HexProject, cell: HexCell): string | undefined {
  if (!ctx.workspace) return undefined;
  const base = `${ctx.hostPort.replace(/\/+$/, '')}/${encodeURIComponent(ctx.workspace)}/hex/${encodeURIComponent(project.id)}`;
  return `${base}/draft/logic?selectedCellId=${encodeURIComponent(cell.id)}`;
}

/** CreateChart for a chart-like cell; named by its staticId, which survives edits of the project. */
export function cellToCreateChart(project: HexProject, cell: HexCell, ctx: ChartContext): CreateChart {
  const label = typeof cell.label === 'string' ? cleanTitle(cell.label).trim() : '';
  const request: CreateChart = {
    name: cell.staticId,
    service: ctx.serviceName,
    displayName: label || `${readable(cell.cellType)} in ${project.title ? cleanTitle(project.title) : project.id}`,
    chartType: CHART_TYPE_OF_CELL[cell.cellType],
  };
  const url = cellUrl(ctx, project, cell);
  if (url) request.sourceUrl = url;
  request.sourceHash = sourceHashOf(request);
  return request;
}

/**
 * CreateChart for a Hex component. The API does not say which projects import a component, so the chart
 * stands in the service without a dashboard rather than with an invented one.
 */
export function componentToCreateChart(
  component: HexProject,
  ctx: ChartContext & { tagNames: string[]; owner: EntityReference | null },
): CreateChart {
  const request: CreateChart = { name: component.id, service: ctx.serviceName, chartType: 'Other' };
  if (component.title) request.displayName = cleanTitle(component.title);
  const description = typeof component.description === 'string' ? cleanDescription(component.description).trim() : '';
  if (description) request.description = description;
  const url = projectUrl(ctx.hostPort, ctx.workspace, component);
  if (url) request.sourceUrl = url;
  if (ctx.tagNames.length) request.tags = ctx.tagNames.map(tagLabel);
  if (ctx.owner) request.owners = [{ id: ctx.owner.id, type: ctx.owner.type }];
  request.sourceHash = sourceHashOf(request);
  return request;
}

export function chartFqn(serviceName: string, chartName: string): string {
  return buildFqn(serviceName, chartName);
}

/** Why a listed cell cannot be read, or null when it can. */
export function malformedCellReason(cell: unknown): string | null {
  if (!cell || typeof cell !== 'object') return 'not an object';
  const c = cell as Record<string, unknown>;
  if (typeof c.id !== 'string' || !c.id) return 'missing id';
  if (typeof c.staticId !== 'string' || !c.staticId || c.staticId.includes('::')) return 'missing or invalid staticId';
  if (typeof c.cellType !== 'string') return 'missing cellType';
  return null;
}
