import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { eventually, launchChromium, openLocalPage } from '../support/browser';
import { cliEnv, spawnCli } from '../support/cli';
import { freePort, temporalBinary } from '../support/temporal';

/*
 * A person following what `hexmeta demo` prints: the Start Workflow form of the demo's Web UI, filled with the
 * exact values the demo's note gives, starts an ingestion that the demo's own worker runs to the end.
 */

const dirs: string[] = [];
let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface FormValues { uiUrl: string; namespace: string; workflowType: string; taskQueue: string; input: string }

/** The values of the note `to start a run from the Web UI (<url>/namespaces/<ns>/workflows, …), fill in: …`. */
function formValuesOf(notes: string[]): FormValues {
  const note = notes.find((n) => n.startsWith('to start a run from the Web UI'));
  assert.ok(note, `the demo prints the form's values: ${JSON.stringify(notes)}`);
  const place = /\((http:\/\/[^/]+)\/namespaces\/([^/]+)\/workflows/.exec(note);
  const workflowType = /Workflow Type: (\S+)/.exec(note);
  const taskQueue = /Task Queue: (\S+)/.exec(note);
  const input = /Input \(JSON\): (\{.*\})$/.exec(note);
  assert.ok(place && workflowType && taskQueue && input, note);
  return { uiUrl: place[1], namespace: place[2], workflowType: workflowType[1], taskQueue: taskQueue[1], input: input[1] };
}

test('the Start Workflow form filled with the values the demo prints runs on the demo\'s worker', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-demo-form-'));
  dirs.push(dir);
  // No PostgreSQL: lineage is not what this test is about, and a closed port makes the demo skip it at once.
  const closedPort = await freePort();
  const env = cliEnv({ TEMPORAL_CLI_PATH: temporalBinary(), PG_HOST: undefined, PG_PORT: undefined });
  const demo = spawnCli(['demo', '--json', '--dir', dir, '--postgres', `postgresql://demo@127.0.0.1:${closedPort}/shop`], env);
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no report within 120 s:\n${text}`)), 120_000);
      demo.stdout!.on('data', (chunk) => {
        text += chunk;
        try {
          JSON.parse(text);
          clearTimeout(timer);
          resolve(text);
        } catch {
          // the report is not complete yet
        }
      });
    });
    const report = JSON.parse(stdout);
    const form = formValuesOf(report.notes);
    assert.equal(form.workflowType, 'hexIngestion');

    browser = await launchChromium();
    const page = await openLocalPage(browser);
    await page.goto(`${form.uiUrl}/namespaces/${form.namespace}/workflows/start-workflow`);
    await page.getByLabel('Workflow ID').fill('hex-demo-from-ui');
    await page.getByLabel('Task Queue').fill(form.taskQueue);
    await page.getByLabel('Workflow Type').fill(form.workflowType);
    const input = page.getByRole('textbox', { name: 'Data' });
    await input.fill(form.input);
    await input.blur();
    // The form shows the task queue's pollers: the demo's worker polls the queue the note names.
    await page.getByText('Task Queue is Active').waitFor();
    const start = page.getByRole('button', { name: 'Start Workflow' });
    await eventually('the Start Workflow button to be enabled', async () => (await start.isEnabled()) || undefined);
    await start.click();

    // The form's run starts the service's ingestion under its fixed id (a new run after the demo's own) and the
    // demo's worker completes it: read back through the same Web UI's API.
    const api = `${form.uiUrl}/api/v1/namespaces/${form.namespace}/workflows`;
    const finished = await eventually('the form\'s run to complete', async () => {
      const answer = await fetch(`${api}/hex-demo-from-ui`);
      if (answer.status !== 200) return undefined;
      const body = await answer.json() as { workflowExecutionInfo: { status: string } };
      return body.workflowExecutionInfo.status === 'WORKFLOW_EXECUTION_STATUS_COMPLETED' ? body : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    assert.ok(finished);
    const ingestion = await (await fetch(`${api}/${report.workflowId}`)).json() as {
      executionConfig: { taskQueue: { name: string } };
      workflowExecutionInfo: { status: string; parentExecution?: { workflowId: string } };
    };
    assert.equal(ingestion.executionConfig.taskQueue.name, form.taskQueue);
    assert.equal(ingestion.workflowExecutionInfo.parentExecution?.workflowId, 'hex-demo-from-ui', 'the latest run of the service is the form\'s child');
    assert.equal(ingestion.workflowExecutionInfo.status, 'WORKFLOW_EXECUTION_STATUS_COMPLETED');
  } finally {
    demo.kill('SIGINT');
    const result = await demo.output;
    assert.equal(result.code, 0, result.stderr);
  }
});
