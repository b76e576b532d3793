import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createHexWorker } from '../../worker/createWorker';
import { makeWorkspace, type HexProject } from '../../servers/hexServer';
import { stopSuiteTemporal, suiteTemporal, temporalClient } from '../support/temporal';
import { startWorld, type World } from '../support/world';

const TASK_QUEUE = 'ui-start';
let world: World;
let address: string;
const projects = makeWorkspace(400, 31).filter((p: HexProject) => p.type === 'PROJECT' && !p.archivedAt && !p.trashedAt);

before(async () => {
  ({ address } = await suiteTemporal());
  world = await startWorld({ projects, serviceName: 'hex_ui', hex: { latencyMs: 300 } });
});

after(async () => {
  await world?.close();
  await stopSuiteTemporal();
});

test('a run started under any other id (as from the Web UI) runs as the service\'s one ingestion, and a second is refused', async () => {
  const env = { ...process.env, ...world.secretsEnv, HEXMETA_HEX_REQUESTS_PER_MINUTE: '6000' };
  const configPath = world.writeConfig();
  const connection = await NativeConnection.connect({ address });
  const { client, close } = await temporalClient(address);
  try {
    const worker = await createHexWorker({ connection, taskQueue: TASK_QUEUE, env });
    await worker.runUntil(async () => {
      // The same StartWorkflowExecution call the Web UI's Start Workflow form makes: type, queue, JSON input.
      const first = await client.workflow.start('hexIngestion', { workflowId: 'started-from-ui-1', taskQueue: TASK_QUEUE, args: [{ configPath }] });
      const deadline = Date.now() + 60_000;
      let fixed;
      while (Date.now() < deadline) {
        fixed = await client.workflow.getHandle('hexmeta-ingestion-hex_ui').describe().catch(() => undefined);
        if (fixed) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(fixed?.status.name, 'RUNNING', 'the ingestion runs under the service\'s fixed id');
      const second = await client.workflow.start('hexIngestion', { workflowId: 'started-from-ui-2', taskQueue: TASK_QUEUE, args: [{ configPath }] });
      await assert.rejects(second.result(), (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError);
        assert.match(String((error.cause as Error)?.message), /already running as workflow hexmeta-ingestion-hex_ui; this run started nothing/);
        return true;
      });
      const summary = await first.result();
      assert.equal(summary.phase, 'done');
      assert.equal(summary.dashboardsCreated, projects.length);
    });
    assert.equal(world.openMetadata.dashboards().length, projects.length);
  } finally {
    await close();
    await connection.close();
  }
});
