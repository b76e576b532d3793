// Bundles the workflow code into the file named by argv[2]: at build time (dist/workflow-bundle.js), or from the
// sources in a child process, so webpack's memory is returned to the system instead of staying in a worker's heap.
import { renameSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: bundleWorkflows <output file>');
  const quiet = () => undefined;
  const logger = { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: (message: string) => console.error(message) };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger });
  // Written aside and renamed: a worker starting meanwhile reads the old bundle or the new one, never half of one.
  const partial = `${out}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, out);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
