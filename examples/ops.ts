/**
 * An operations script on hexmeta's typed API: makes sure the service has a nightly schedule, runs one
 * ingestion now (or follows the one already running) while printing its progress, then lists recent runs.
 *
 *   TEMPORAL_ADDRESS=temporal:7233 npx tsx examples/ops.ts hex.yaml
 *
 * Workers (`hexmeta worker`) must run against the same Temporal server and be able to read hex.yaml.
 * In another project, import the same names from 'hexmeta'.
 */
import type { Client } from '@temporalio/client';
import {
  connect, createSchedule, describeSchedule, listRuns, ScheduleError, startIngestion,
  type IngestionSummary, type ScheduleInfo,
} from '../client';

async function ensureNightlySchedule(client: Client, configPath: string, serviceName: string): Promise<ScheduleInfo> {
  try {
    return await describeSchedule({ client, serviceName });
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    return createSchedule({ client, source: { configPath }, cron: '0 2 * * *', timezone: 'UTC', catchupWindow: '2h' });
  }
}

function line(s: IngestionSummary): string {
  return `[${s.phase}] ${s.projectsSeen} projects, ${s.dashboardsCreated} created, ${s.dashboardsUpdated} updated, ${s.failuresTotal} failures`;
}

async function main(configPath: string): Promise<void> {
  const { client, close } = await connect();
  try {
    const run = await startIngestion({ client, source: configPath });
    const schedule = await ensureNightlySchedule(client, configPath, run.serviceName);
    console.log(`Schedule ${schedule.scheduleId}: ${schedule.paused ? 'paused' : 'active'}, next ${schedule.nextRuns[0] ?? '-'}`);

    const ticker = setInterval(() => {
      run.progress().then((p) => console.log(line(p)), () => undefined);
    }, 5_000);
    try {
      console.log(`Done: ${line(await run.result())}`);
    } finally {
      clearInterval(ticker);
    }

    for (const past of await listRuns({ client, serviceName: run.serviceName, recent: 5 })) {
      console.log(`${past.startedAt} ${past.status}${past.startedBy ? ` (by ${past.startedBy})` : ''}`);
    }
  } finally {
    await close();
  }
}

main(process.argv[2] ?? 'hex.yaml').catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
