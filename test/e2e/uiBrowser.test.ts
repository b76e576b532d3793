import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { eventually, launchChromium, openLocalPage, textOf } from '../support/browser';
import { cliEnv, startWorkerProcess } from '../support/cli';
import { startDevServer, temporalClient, type DevServer } from '../support/temporal';
import { HEX_TOKEN, OM_JWT, startWorld, type World } from '../support/world';

// What a person sees in the dev server's Web UI: the Start Workflow form filled as the README says, the running
// ingestion in the workflows list, and its `progress` query under Queries.
const SERVICE = 'hex_browser';
const FIXED_ID = `hexmeta-ingestion-${SERVICE}`;
const FORM_ID = 'started-from-web-ui';
const TASK_QUEUE = 'ui-browser';
// 50 pages of 100 projects from a Hex that takes 2 s a request: the run reads pages for well over a minute,
// and the workflow's progress moves at least every 10 pages (one activity's batch), so it is Running and has
// projects to show while the browser looks.
const HEX_LATENCY_MS = 2_000;
const projects = makeWorkspace(5_300, 47).filter((p: HexProject) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt).slice(0, 5_000);

let server: DevServer;
let world: World;
let worker: ChildProcess | undefined;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let browser: Browser;
let page: Page;
let configPath: string;

before(async () => {
  server = await startDevServer(undefined, undefined, { ui: true });
  world = await startWorld({ projects, serviceName: SERVICE, hex: { latencyMs: HEX_LATENCY_MS } });
  configPath = world.writeConfig();
  worker = await startWorkerProcess(cliEnv({ TEMPORAL_ADDRESS: server.address, ...world.secretsEnv }), TASK_QUEUE);
  temporal = await temporalClient(server.address);
  browser = await launchChromium();
  page = await openLocalPage(browser);
});

after(async () => {
  for (const id of [FORM_ID, FIXED_ID]) {
    await temporal?.client.workflow.getHandle(id).terminate('end of the Web UI test').catch(() => undefined);
  }
  // The worker may be inside a slow Hex request; nothing of it is needed any more.
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }
  await browser?.close();
  await temporal?.close();
  await world?.close();
  await server?.stop();
});

/** Neither secret the worker resolves may reach anything the UI shows. */
async function assertNoSecretsShown(): Promise<void> {
  const html = await page.content();
  for (const secret of [HEX_TOKEN, OM_JWT]) assert.ok(!html.includes(secret), `the page at ${page.url()} shows a secret`);
}

test('the Start Workflow form, filled with the README\'s type, task queue and input, starts the service\'s ingestion', async () => {
  await page.goto(`${server.uiUrl}/namespaces/default/workflows/start-workflow`);
  await page.getByLabel('Workflow ID').fill(FORM_ID);
  await page.getByLabel('Task Queue').fill(TASK_QUEUE);
  await page.getByLabel('Workflow Type').fill('hexIngestion');
  const input = page.getByRole('textbox', { name: 'Data' });
  await input.fill(JSON.stringify({ configPath }));
  // Leaving the input reformats it over more lines, and leaving the task queue shows its pollers above it; both
  // move the button, so let them happen before the click.
  await input.blur();
  await page.getByText('Task Queue is Active').waitFor();
  const start = page.getByRole('button', { name: 'Start Workflow' });
  await eventually('the Start Workflow button to be enabled', async () => (await start.isEnabled()) || undefined);
  await start.click();

  const description = await eventually('the ingestion to run under its fixed id', async () => {
    const described = await temporal.client.workflow.getHandle(FIXED_ID).describe();
    return described.status.name === 'RUNNING' ? described : undefined;
  });
  assert.equal(description.type, 'hexIngestion');
  assert.equal(description.taskQueue, TASK_QUEUE);
  assert.equal(description.parentExecution?.workflowId, FORM_ID, 'the form\'s run starts the ingestion as its child');
  await assertNoSecretsShown();
});

test('the workflows list of the default namespace shows the ingestion as Running', async () => {
  await page.goto(`${server.uiUrl}/namespaces/default/workflows`);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: FIXED_ID, exact: true }) });
  // The list is read from the visibility store, which may lag the start by a moment: reload until it shows.
  const text = await eventually('the ingestion in the workflows list', async () => {
    await row.waitFor({ timeout: 10_000 });
    return row.innerText();
  }, { retry: () => page.reload(), intervalMs: 1_000 });
  assert.match(text, /running/i);
  assert.match(text, /hexIngestion/);
  await assertNoSecretsShown();
});

test('its Queries tab answers `progress` with the live summary', async () => {
  await page.getByRole('link', { name: FIXED_ID, exact: true }).click();
  await page.getByRole('heading', { name: FIXED_ID }).waitFor();
  assert.match(await textOf(page.locator('main')), /running/i);
  await page.getByRole('tab', { name: 'Queries' }).click();
  // `progress` is the workflow's only own query; the UI lists it before the SDK's built-in ones.
  await eventually('`progress` as the query type', async () => (await page.getByLabel('Query Type').inputValue()) === 'progress' || undefined);
  const result = page.getByRole('textbox', { name: 'Query Result' });

  // A person sees the top of the answer; the lists further down (warnings) may be scrolled out of view.
  const field = (text: string, name: string) => text.match(new RegExp(`"${name}": ("[^"]*"|\\d+)`))?.[1];
  const shown = await eventually('a progress answer with projects seen', async () => {
    await page.getByRole('button', { name: /^(Run|Refresh) Query$/ }).click();
    const text = await eventually('the query result', async () => {
      const current = await textOf(result);
      return field(current, 'phase') ? current : undefined;
    }, { timeoutMs: 15_000, intervalMs: 250 });
    return Number(field(text, 'projectsSeen')) > 0 ? text : undefined;
  }, { timeoutMs: 120_000, intervalMs: 2_000 });

  assert.equal(field(shown, 'serviceName'), JSON.stringify(SERVICE));
  assert.equal(field(shown, 'phase'), '"dashboards"');
  const pagesRead = Number(field(shown, 'pagesRead'));
  const projectsSeen = Number(field(shown, 'projectsSeen'));
  assert.ok(pagesRead >= 1, `pages read so far: ${pagesRead}`);
  assert.equal(projectsSeen, pagesRead * 100, 'whole pages of 100 projects');
  assert.ok(projectsSeen < projects.length, 'the run is still going');
  assert.ok(Number(field(shown, 'dashboardsCreated')) > 0, 'dashboards written so far');
  await assertNoSecretsShown();
});

test('the workflow\'s page shows its summary and the current details line, kept up as the run goes on', async () => {
  const open = async () => {
    await page.goto(`${server.uiUrl}/namespaces/default/workflows/${FIXED_ID}`);
    await page.getByRole('heading', { name: FIXED_ID }).waitFor();
    await page.getByRole('tab', { name: 'User Metadata' }).click();
  };
  // The UI renders each of summary, details and current details in a frame of its own.
  const shownText = async () => (await Promise.all(page.frames().map((f) => f.locator('body').innerText({ timeout: 1_000 }).catch(() => '')))).join('\n');
  await open();
  // The frames fill in a while after the tab opens (seconds on a busy machine): look again for 10 s before
  // opening the page anew, or a reload would cut every look short.
  let looks = 0;
  const reopenNowAndThen = async () => { if (++looks % 10 === 0) await open(); };
  await eventually('the summary on the page', async () => (await shownText()).includes(`Hex → OpenMetadata: ${SERVICE}`) || undefined, { retry: reopenNowAndThen, intervalMs: 1_000 });
  // The line the workflow sets after each page batch: phase, pages, projects, dashboards, lineage.
  const details = /dashboards · pages (\d+) · projects (\d+) · dashboards \+(\d+)/;
  const shown = await eventually('the current details on the page', async () => {
    const match = details.exec(await shownText());
    return match && Number(match[1]) > 0 ? match : undefined;
  }, { retry: reopenNowAndThen, timeoutMs: 120_000, intervalMs: 2_000 });
  assert.equal(Number(shown[2]), Number(shown[1]) * 100, 'whole pages of 100 projects');
  assert.ok(Number(shown[3]) > 0, 'dashboards created so far');
  assert.match(await shownText(), /Workflow file: .*hex\.yaml/);
  await assertNoSecretsShown();
  // The picture the README shows of a run in the Web UI (HEXMETA_UI_SCREENSHOT names where to keep it).
  const screenshot = process.env.HEXMETA_UI_SCREENSHOT ?? join(process.env.HEXMETA_TEST_RUN_DIR ?? tmpdir(), 'temporal-web-ui-run.png');
  await page.screenshot({ path: screenshot, clip: { x: 0, y: 0, width: 1400, height: 720 } });
  assert.ok(statSync(screenshot).size > 10_000, 'a screenshot of the page');
});
