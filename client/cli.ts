import { Command } from 'commander';
import { ingestCommand } from './commands/ingest';
import { runWorker } from '../worker/main';

export function buildCli(): Command {
  const program = new Command('hexmeta')
    .description('Ingest a Hex workspace into OpenMetadata as durable Temporal workflows')
    .showHelpAfterError();

  program
    .command('ingest')
    .description('run one ingestion from an OpenMetadata workflow file (embedded Temporal unless TEMPORAL_ADDRESS is set)')
    .requiredOption('-c, --config <file>', 'workflow YAML file (source.type: hex)')
    .option('--task-queue <name>', 'Temporal task queue')
    .option('--json', 'print the final summary as JSON')
    .option('--ui', 'start the embedded dev server with its Web UI')
    .action(async (opts) => {
      process.exitCode = await ingestCommand(opts);
    });

  program
    .command('worker')
    .description('run a long-lived worker against TEMPORAL_ADDRESS (stops gracefully on SIGINT/SIGTERM)')
    .option('--task-queue <name>', 'Temporal task queue')
    .action(async (opts) => {
      await runWorker({ taskQueue: opts.taskQueue });
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
