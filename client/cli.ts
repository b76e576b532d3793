import { Command, CommanderError } from 'commander';
import { ingestCommand } from './commands/ingest';
import { initCommand } from './commands/init';
import { runWorker } from '../worker/main';
import { lineageParse } from './commands/lineageParse';
import { DIALECTS } from '../activities/lineage/dialect';
import { scheduleActionCommand, scheduleCreateCommand, scheduleDescribeCommand, scheduleListCommand } from './commands/schedule';
import { statusCommand } from './commands/status';
import { testConnectionCommand } from './commands/testConnection';
import { addConnectionOptions } from './connection';
import { packageVersion } from './version';

export function buildCli(): Command {
  const program = new Command('hexmeta')
    .description('Ingest a Hex workspace into OpenMetadata as durable Temporal workflows')
    .version(packageVersion(), '-V, --version', 'print the version of hexmeta')
    .showHelpAfterError()
    // Usage errors (unknown option, missing argument) end in main with exit code 2, as the README states.
    .exitOverride();

  addConnectionOptions(program
    .command('ingest')
    .description('run one ingestion from an OpenMetadata workflow file (embedded Temporal unless a server is named: --address, TEMPORAL_ADDRESS or a profile)'))
    .requiredOption('-c, --config <file>', 'workflow YAML file (source.type: hex)')
    .option('--task-queue <name>', 'Temporal task queue')
    .option('--json', 'print the final summary as JSON')
    .option('--full-history', 'read the whole lookback window of query history, not only what came after the last completed run')
    .option('--ui', 'start the embedded dev server with its Web UI')
    .option('--log-level <level>', 'DEBUG|INFO|WARN|ERROR (default: the file\'s workflowConfig.loggerLevel; env HEXMETA_LOG_LEVEL)')
    .option('--log-format <format>', 'text|json (env HEXMETA_LOG_FORMAT; default text)')
    .option('--metrics-address <host:port>', 'serve the embedded worker\'s Temporal metrics for Prometheus (env HEXMETA_METRICS_ADDRESS)')
    .action(async (opts) => {
      process.exitCode = await ingestCommand(opts);
    });

  addConnectionOptions(program
    .command('worker')
    .description('run a long-lived worker against the Temporal server (stops gracefully on SIGINT/SIGTERM)'))
    .option('--task-queue <name>', 'Temporal task queue')
    .option('--log-level <level>', 'DEBUG|INFO|WARN|ERROR (env HEXMETA_LOG_LEVEL; default INFO); a file asking for more gets more')
    .option('--log-format <format>', 'text|json (env HEXMETA_LOG_FORMAT; default text)')
    .option('--metrics-address <host:port>', 'serve Temporal worker metrics for Prometheus at /metrics (env HEXMETA_METRICS_ADDRESS)')
    .action(async (opts) => {
      await runWorker(opts);
    });

  program
    .command('test-connection')
    .description('check Hex, OpenMetadata and each lineage warehouse with the workflow file, one line a check')
    .requiredOption('-c, --config <file>', 'workflow YAML file')
    .option('--json', 'print the checks as JSON')
    .action(async (opts) => {
      process.exitCode = await testConnectionCommand(opts);
    });

  const lineage = program.command('lineage').description('tools for understanding lineage');
  lineage
    .command('parse')
    .description('show what the connector sees in SQL: the Hex comment and the tables read')
    .option('--dialect <dialect>', `SQL dialect: ${DIALECTS.join('|')} (required without --jsonl; with it, the default for lines that name none)`)
    .option('--database <name>', 'default database (catalog, BigQuery project) in effect')
    .option('--schema <name>', 'default schema (BigQuery dataset) in effect')
    .option('--jsonl', 'read one JSON object per line ({"sql","dialect","default_database","default_schema"}), write one result per line')
    .argument('[file]', 'SQL file, or - for standard input', '-')
    .action(async (file: string, opts) => {
      process.exitCode = await lineageParse({ ...opts, file }, { stdin: process.stdin, stdout: process.stdout });
    });

  program
    .command('init')
    .description('write a commented hex.yaml to start from (never over an existing file)')
    .option('--dir <path>', 'folder to write hex.yaml into (default: the current folder)')
    .action((opts) => {
      process.exitCode = initCommand(opts);
    });

  addScheduleCommands(program);

  addConnectionOptions(program
    .command('status')
    .description('running and recent ingestion runs with their progress (needs a Temporal server: --address, TEMPORAL_ADDRESS or a profile)'))
    .option('--service <name>', 'only this dashboard service')
    .option('--trigger <how>', 'only runs started this way: cli, schedule, ui or api')
    .option('--recent <n>', 'closed runs to show besides the running ones', '10')
    .option('--json', 'print the runs as JSON')
    .option('--warnings', "every warning of the service's latest run (with --service)")
    .action(async (opts) => {
      process.exitCode = await statusCommand(opts);
    });

  program
    .command('demo')
    .description('try hexmeta without accounts: a Temporal dev server, local Hex and OpenMetadata stand-ins, one full ingestion')
    .option('--no-ui', 'run the Temporal dev server without its Web UI')
    .option('--exit', 'stop everything after printing instead of waiting for Ctrl-C')
    .option('--json', 'print the report as JSON')
    .option('--postgres <url>', 'PostgreSQL for lineage (default: PG_* variables, else postgresql://localhost:5432 if it answers)')
    .option('--dir <path>', 'folder for the workflow file and Temporal state: new, empty, or an earlier demo\'s (default: a new temporary folder)')
    .option('--keep', 'keep the temporary folder when the demo ends (it is removed otherwise)')
    .option('--om-version <version>', 'OpenMetadata release the local stand-in speaks: 2.0 or 1.12', '2.0')
    .action(async (opts) => {
      // Required on demand (tsx registers .ts for require only): it brings the local test servers, which no
      // other command needs.
      const { demoCommand } = require('./commands/demo') as typeof import('./commands/demo');
      process.exitCode = await demoCommand(opts);
    });

  return program;
}

function addScheduleCommands(program: Command): void {
  const schedule = program.command('schedule').description('run ingestions on a Temporal Schedule (needs a Temporal server and workers)');
  addConnectionOptions(schedule
    .command('create'))
    .description('create the schedule of the file\'s service (id hexmeta-schedule-<serviceName>)')
    .requiredOption('-c, --config <file>', 'workflow YAML file; workers read it at every run')
    .option('--cron <expr>', 'cron expression, e.g. "0 3 * * *"')
    .option('--every <interval>', 'interval, e.g. 30m, 1h, 1d')
    .option('--timezone <tz>', 'IANA time zone of the cron expression (default UTC)')
    .option('--paused', 'create it paused')
    .option('--catchup-window <interval>', 'take runs missed while Temporal was down when at most this late', '1h')
    .option('--overlap <policy>', 'when a run is due while the last scheduled one still runs: SKIP, BUFFER_ONE, ...', 'SKIP')
    .option('--task-queue <name>', 'Temporal task queue of the workers')
    .option('--json', 'print the schedule as JSON')
    .action(async (opts) => {
      process.exitCode = await scheduleCreateCommand(opts);
    });
  addConnectionOptions(schedule
    .command('list'))
    .description('list hexmeta schedules')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      process.exitCode = await scheduleListCommand(opts);
    });
  addConnectionOptions(schedule
    .command('describe'))
    .description('show a schedule: timing, state, next and recent runs')
    .argument('[service]', 'dashboard service name')
    .option('-c, --config <file>', 'workflow file naming the service')
    .option('--json', 'print JSON')
    .action(async (service: string | undefined, opts) => {
      process.exitCode = await scheduleDescribeCommand({ ...opts, service });
    });
  const actions = [
    ['pause', 'stop taking scheduled runs'],
    ['unpause', 'take scheduled runs again'],
    ['trigger', 'take one run now (never a second ingestion of a service that is running)'],
    ['delete', 'delete the schedule (a running ingestion goes on)'],
  ] as const;
  for (const [name, description] of actions) {
    const command = addConnectionOptions(schedule
      .command(name)
      .description(description))
      .argument('[service]', 'dashboard service name')
      .option('-c, --config <file>', 'workflow file naming the service');
    if (name === 'pause' || name === 'unpause') command.option('--note <text>', 'reason, shown by describe');
    command.option('--json', 'print what was done as JSON');
    command.action(async (service: string | undefined, opts) => {
      process.exitCode = await scheduleActionCommand(name, { ...opts, service });
    });
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the help, the version or the usage error already.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
