import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellToCreateChart, componentToCreateChart, isChartCell, malformedCellReason } from '../../activities/mapping/charts';
import { projectFingerprint, toCreateDashboard } from '../../activities/mapping/dashboard';
import { dailyUsageOf } from '../../activities/mapping/usage';
import type { HexCell, HexProject } from '../../activities/hex/types';
import { makeProject } from '../../servers/hexServer';

const ctx = { serviceName: 'hex', hostPort: 'https://app.hex.tech/', workspace: 'acme' };

function cell(overrides: Partial<HexCell> = {}): HexCell {
  return {
    id: 'c-1', staticId: 's-1', cellType: 'VEGA_CHART', label: 'Revenue by region', dataConnectionId: null,
    contents: { sqlCell: null, codeCell: null, markdownCell: null }, projectId: 'p-1', ...overrides,
  };
}
const project = makeProject({ id: 'p-1', title: 'Weekly Revenue' }) as unknown as HexProject;

test('chart-like cells become charts named by staticId, linked to the cell in the logic view', () => {
  const request = cellToCreateChart(project, cell(), ctx);
  assert.deepEqual({ ...request, sourceHash: undefined }, {
    name: 's-1', service: 'hex', displayName: 'Revenue by region', chartType: 'Other',
    sourceUrl: 'https://app.hex.tech/acme/hex/p-1/draft/logic?selectedCellId=c-1', sourceHash: undefined,
  });
  assert.match(request.sourceHash!, /^[0-9a-f]{32}$/);
  assert.equal(cellToCreateChart(project, cell({ cellType: 'DISPLAY_TABLE', label: null }), ctx).displayName, 'Display table in Weekly Revenue');
  assert.equal(cellToCreateChart(project, cell({ cellType: 'MAP' }), ctx).chartType, 'Map');
  assert.equal(cellToCreateChart(project, cell({ cellType: 'PIVOT' }), ctx).chartType, 'Table');
  assert.equal(cellToCreateChart(project, cell(), { ...ctx, workspace: null }).sourceUrl, undefined);
});

test('only result-showing cells are charts; cells without identity are malformed', () => {
  for (const type of ['CHART', 'VEGA_CHART', 'MAP', 'PIVOT', 'DISPLAY_TABLE', 'METRIC', 'EXPLORE']) assert.ok(isChartCell(cell({ cellType: type })), type);
  for (const type of ['SQL', 'CODE', 'MARKDOWN', 'INPUT', 'TEXT', 'COMPONENT_IMPORT', 'toString']) assert.ok(!isChartCell(cell({ cellType: type })), type);
  assert.equal(malformedCellReason(cell()), null);
  assert.match(malformedCellReason(cell({ staticId: '' as never }))!, /staticId/);
  assert.match(malformedCellReason(null)!, /not an object/);
});

test('a component becomes an unlinked chart with its owner and tags', () => {
  const component = makeProject({ id: 'comp-1', type: 'COMPONENT', title: 'Revenue metrics', lastPublishedAt: null }) as unknown as HexProject;
  const request = componentToCreateChart(component, { ...ctx, tagNames: ['Finance'], owner: { id: 'u-1', type: 'user' } });
  assert.equal(request.name, 'comp-1');
  assert.equal(request.chartType, 'Other');
  assert.equal(request.sourceUrl, 'https://app.hex.tech/acme/hex/comp-1');
  assert.deepEqual(request.owners, [{ id: 'u-1', type: 'user' }]);
  assert.deepEqual(request.tags?.map((t) => t.tagFQN), ['HexCategories.Finance']);
  assert.equal('dashboards' in request, false);
});

test('with cells read, the fingerprint follows the last edit but not the chart list', () => {
  const base = { serviceName: 'hex', hostPort: 'h', workspace: 'w', tagNames: [], owner: null };
  const withCharts = toCreateDashboard(project, { ...base, charts: ['hex.a', 'hex.b'] });
  const noCharts = toCreateDashboard(project, { ...base, charts: [] });
  assert.deepEqual(withCharts.charts, ['hex.a', 'hex.b']);
  assert.equal(withCharts.sourceHash, noCharts.sourceHash);
  const edited = { ...project, lastEditedAt: '2030-01-01T00:00:00.000Z' };
  assert.notEqual(toCreateDashboard(edited, { ...base, charts: [] }).sourceHash, noCharts.sourceHash);
  // Without cells the last edit alone changes nothing written, so it is not part of the fingerprint.
  assert.equal(toCreateDashboard(edited, base).sourceHash, toCreateDashboard(project, base).sourceHash);
  assert.notEqual(toCreateDashboard(project, base).sourceHash, noCharts.sourceHash);
  assert.equal(projectFingerprint(project, withCharts, true), withCharts.sourceHash);
});

test('usage: a seventh of the last seven days, once per day, nothing for unviewed projects', () => {
  const views = (lastSevenDays: number | undefined) => ({
    ...project, analytics: { appViews: lastSevenDays === undefined ? null : { allTime: 900, lastSevenDays, lastFourteenDays: 0, lastThirtyDays: 0 } },
  }) as HexProject;
  assert.deepEqual(dailyUsageOf(views(70), '2026-11-27', null), { date: '2026-11-27', count: 10 });
  assert.deepEqual(dailyUsageOf(views(3), '2026-11-27', { date: '2026-11-20', dailyStats: { count: 4 } }), { date: '2026-11-27', count: 1 });
  assert.equal(dailyUsageOf(views(70), '2026-11-27', { date: '2026-11-27', dailyStats: { count: 10 } }), null);
  assert.equal(dailyUsageOf(views(0), '2026-11-27', null), null);
  assert.equal(dailyUsageOf(views(undefined), '2026-11-27', null), null);
  assert.equal(dailyUsageOf({ ...project, analytics: null } as HexProject, '2026-11-27', null), null);
});
