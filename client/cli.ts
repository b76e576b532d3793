import { Command } from 'commander';
import { ingestCommand } from './commands/ingest';
import { runWorker } from '../worker/main';
import { lineageParse } from './commands/lineageParse';
import { DIALECTS } from '../activities/lineage/dialect';

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

  const lineage = program.command('lineage').description('tools for understanding lineage');
  lineage
    .command('parse')
    .description('show what the connector sees in SQL: the Hex comment and the tables read')
    .requiredOption('--dialect <dialect>', `SQL dialect: ${DIALECTS.join('|')}`)
    .option('--database <name>', 'default database (catalog, BigQuery project) in effect')
    .option('--schema <name>', 'default schema (BigQuery dataset) in effect')
    .option('--jsonl', 'read one JSON object per line ({"sql","dialect","default_database","default_schema"}), write one result per line')
    .argument('[file]', 'SQL file, or - for standard input', '-')
    .action(async (file: string, opts) => {
      process.exitCode = await lineageParse({ ...opts, file }, { stdin: process.stdin, stdout: process.stdout });
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
