// A child worker process for the reaping test: `node --import tsx worker.ts <address> <taskQueue> <bundle file>`.
import { readFileSync } from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workerIdentity } from '../../../worker/reapDeadWorkers';
import { slowStepActivities } from './activities';

async function main(): Promise<void> {
  const [address, taskQueue, bundleFile] = process.argv.slice(2);
  const connection = await NativeConnection.connect({ address });
  const identity = workerIdentity();
  const worker = await Worker.create({
    connection, taskQueue, identity,
    workflowBundle: { code: readFileSync(bundleFile, 'utf8') },
    activities: slowStepActivities({ hang: true, identity }),
  });
  process.stderr.write(`polling task queue ${taskQueue} as ${identity}\n`);
  await worker.run();
}

main().catch((error) => {
  process.stderr.write(`${error}\n`);
  process.exit(1);
});
