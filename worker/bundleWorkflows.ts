// Child-process entry: bundles the workflow code into the file named by argv[2]. Run apart from the worker so
// webpack's memory is returned to the system when it ends instead of staying in the worker's heap.
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: bundleWorkflows <output file>');
  const quiet = () => undefined;
  const logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: (message: string) => console.error(message) };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger });
  writeFileSync(out, code);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
