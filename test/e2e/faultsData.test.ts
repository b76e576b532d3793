import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeProject, type HexProject } from '../../servers/hexServer';
import { cliEnv, runCli, startWorkerProcess, type CliResult } from '../support/cli';
import { mariadbConnection, runMariadb, runTag, serviceEnv, withTrailingHexComment } from '../support/databases';
import { stopSuiteTemporal, suiteTemporal } from '../support/temporal';
import { startWorld, type World } from '../support/world';

/*
 * Awkward but valid data end to end: odd titles and descriptions, null fields, a project type Hex may add
 * later, and, in a real MariaDB query log, a 60 KB Hex statement and one full of binary junk.
 */

const SERVICE = 'hex_faults_data';
const maria = serviceEnv('MARIADB');
const tag = runTag();
const LONG_DESCRIPTION = `${'Ünïcödé paragraph 📈 with "quotes" and dots... '.repeat(2_200)}`.slice(0, 100_000);

const projects: Record<string, HexProject> = {
  unicode: makeProject({ title: `Résumé 📊 «Quarterly» — 売上 ✓ עברית ${tag}`, description: 'Zero\u200bwidth, 🚀 emoji, ñ, 中文, العربية' }),
  quotes: makeProject({ title: `He said "ship it", it's \`done\` \\ back-slash ${tag}`, description: '<script>alert("x")</script> & "quoted" \'single\'' }),
  dots: makeProject({ title: `v1.2.3 release.metrics... ${tag}`, categories: [{ name: 'Fin.Ops', description: 'a dot' }] }),
  longText: makeProject({ title: `${'Long title '.repeat(60)}${tag}`, description: LONG_DESCRIPTION }),
  controls: makeProject({ title: `Line one\nline two\ttabbed\u0000 ${tag}`, description: 'bell \u0007 and escape \u001b[31m red\u0000\r\nnext\tline' }),
  nulls: makeProject({
    title: `Nulls ${tag}`, description: null, status: null, categories: [], lastPublishedAt: null,
    analytics: { appViews: { allTime: 0, lastSevenDays: 0, lastFourteenDays: 0, lastThirtyDays: 0 }, lastViewedAt: null, publishedResultsUpdatedAt: null },
    owner: null as never, creator: null as never,
  }),
  unknownType: makeProject({ title: `Semantic model ${tag}`, type: 'SEMANTIC_MODEL' as never }),
  categoryEmoji: makeProject({ title: `Tagged ${tag}`, categories: [{ name: 'Ops 🚀 équipe', description: null }], status: { name: 'Needs "review"' } }),
};

// MariaDB objects and history.
const bigTable = `big_${tag}`;
const junkTable = `junk_${tag}`;
const BIG_SQL = withTrailingHexComment(
  `SELECT id FROM ${bigTable} WHERE id IN (${Array.from({ length: 12_000 }, (_, i) => i).join(', ')})`, projects.unicode.id);
/** Every code unit 1..255 but the quote and back-slash, plus some astral and replacement characters. */
const JUNK = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => c !== "'" && c !== '\\').join('') + '\uFFFD💥\u0000end';
const JUNK_SQL = withTrailingHexComment(`SELECT id FROM ${junkTable} WHERE note <> '${JUNK}'`, projects.quotes.id);
const JUNK_ONLY = `SELECT '${JUNK}' /* ${tag} not from Hex */`;
const FQN = {
  big: `maria_wh.default.${maria.database}.${bigTable}`,
  junk: `maria_wh.default.${maria.database}.${junkTable}`,
};

let world: World;
let result: CliResult;
let summary: any;

before(async () => {
  const { address } = await suiteTemporal();
  await runMariadb(maria, [
    `CREATE TABLE ${bigTable} (id int)`,
    `CREATE TABLE ${junkTable} (id int, note text CHARACTER SET utf8mb4)`,
    BIG_SQL,
    JUNK_SQL,
    JUNK_ONLY,
  ]);
  world = await startWorld({ projects: Object.values(projects), serviceName: SERVICE });
  world.openMetadata.addDatabaseService('maria_wh', 'MariaDB', mariadbConnection(maria));
  world.openMetadata.addTable(FQN.big);
  world.openMetadata.addTable(FQN.junk);
  const configPath = world.writeConfig((doc) => {
    doc.source.sourceConfig.config.lineageInformation = { dbServicePrefixes: [`maria_wh.default.${maria.database}`] };
    doc.hexmeta = { lookbackDays: 1 };
    doc.queryHistory = { maria_wh: { marker: tag } };
  });
  const env = cliEnv({ ...world.secretsEnv, TEMPORAL_ADDRESS: address });
  const taskQueue = `e2e-faults-data-${tag}`;
  const worker = await startWorkerProcess(env, taskQueue);
  try {
    result = await runCli(['ingest', '-c', configPath, '--task-queue', taskQueue, '--json'], env);
  } finally {
    worker.kill('SIGTERM');
  }
  const workerOutput = await worker.output;
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}\n${workerOutput.stderr.slice(-3000)}`);
  summary = JSON.parse(result.stdout);
});

after(async () => {
  await world?.close();
  await runMariadb(maria, [bigTable, junkTable].map((t) => `DROP TABLE IF EXISTS ${t}`)).catch(() => undefined);
  await stopSuiteTemporal();
});

function dashboardOf(project: HexProject): any {
  const found = world.openMetadata.dashboards().find((d: any) => d.name === project.id);
  assert.ok(found, `dashboard for ${JSON.stringify(project.title.slice(0, 40))}`);
  return found;
}

test('every project with awkward data becomes one dashboard, with no failure', (t) => {
  assert.equal(summary.phase, 'done');
  assert.equal(summary.failuresTotal, 0, JSON.stringify(summary.failures));
  assert.equal(summary.dashboardsCreated, Object.keys(projects).length);
  assert.equal(world.openMetadata.dashboards().length, Object.keys(projects).length);
  t.diagnostic(`bad-data projects: ${Object.keys(projects).length}; lost 0`);
});

test('titles and descriptions arrive exactly as Hex has them (trimmed), unicode, quotes and 100 KB included', () => {
  for (const project of Object.values(projects).filter((p) => p !== projects.controls)) {
    const dashboard = dashboardOf(project);
    assert.equal(dashboard.displayName, project.title);
    const description = project.description?.trim();
    if (description) assert.equal(dashboard.description, description);
    else assert.ok(!dashboard.description, 'no description for a null one');
  }
  assert.equal(dashboardOf(projects.longText).description.length, LONG_DESCRIPTION.trim().length);
});

test('control characters are removed from titles and descriptions (a description keeps its lines and tabs), with a warning naming the project', () => {
  const dashboard = dashboardOf(projects.controls);
  assert.equal(dashboard.displayName, `Line one line two tabbed ${tag}`);
  assert.equal(dashboard.description, 'bell  and escape [31m red\nnext\tline');
  const warning = summary.warnings.find((w: any) => w.item.startsWith(projects.controls.id));
  assert.ok(warning, JSON.stringify(summary.warnings));
  assert.match(warning.reason, /control characters .* removed from its title and description/);
  assert.ok(!/[\u0000-\u0008]/.test(warning.item), 'the warning names the project by its cleaned title');
  assert.equal(summary.warnings.filter((w: any) => /control characters/.test(w.reason)).length, 1, 'no other project is touched');
});

test('null owner, creator, status and categories give a dashboard without owner or tags', () => {
  const dashboard = dashboardOf(projects.nulls);
  assert.deepEqual(dashboard.owners ?? [], []);
  assert.deepEqual(dashboard.tags ?? [], []);
  assert.match(dashboard.sourceUrl, new RegExp(`/hex/${projects.nulls.id}$`));
});

test('categories with dots, emoji and double quotes become tags, FQN-quoted as OpenMetadata quotes them', () => {
  const tagsOf = (project: HexProject) => (dashboardOf(project).tags ?? []).map((x: any) => x.tagFQN).sort();
  assert.deepEqual(tagsOf(projects.dots), ['HexCategories."Fin.Ops"', 'HexCategories.Approved']);
  assert.deepEqual(tagsOf(projects.categoryEmoji), ['HexCategories.Needs \\"review\\"', 'HexCategories.Ops 🚀 équipe'].sort());
  assert.ok(!summary.warnings.some((w: any) => /review/.test(w.reason)), JSON.stringify(summary.warnings));
});

test('a 60 KB statement and one full of binary junk in the MariaDB log give their edges', (t) => {
  const lineage = summary.lineage[0];
  assert.equal(lineage.dialect, 'mysql');
  assert.ok(lineage.counts.queriesRead >= 3, `queries read: ${lineage.counts.queriesRead}`);
  assert.equal(lineage.counts.hexQueries, 2);
  assert.equal(lineage.counts.edgesWritten, 2);
  const tableIds = new Map([[FQN.big, projects.unicode], [FQN.junk, projects.quotes]].map(([fqn, project]) => {
    const edge = world.openMetadata.lineageEdges().find((e) => e.toId === dashboardOf(project as HexProject).id);
    assert.ok(edge, `edge to ${(project as HexProject).id}`);
    return [fqn as string, edge] as const;
  }));
  assert.equal(world.openMetadata.lineageEdges().length, 2);
  const big = tableIds.get(FQN.big)!.lineageDetails as { sqlQuery: string };
  assert.ok(BIG_SQL.length > 60_000);
  assert.equal(big.sqlQuery, BIG_SQL.slice(0, big.sqlQuery.length), 'a prefix of the statement');
  const junk = tableIds.get(FQN.junk)!.lineageDetails as { sqlQuery: string };
  assert.match(junk.sqlQuery, new RegExp(`^SELECT id FROM ${junkTable} WHERE note <> '`));
  t.diagnostic('bad warehouse rows: 60 KB SQL x1, binary junk x2 (one from Hex); edges lost 0');
});
