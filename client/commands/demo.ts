import { DEMO_NAMESPACE, DEMO_TASK_QUEUE, runDemoIngestion, startDemoWorker } from '../../demo/ingestion';
import { setUpLineage } from '../../demo/lineageSetup';
import { formatPlaces, formatReport, storeContents, workflowUrl, type DemoReport } from '../../demo/report';
import { DEMO_SERVICE_NAME } from '../../demo/sampleWorkspace';
import { HEX_LABEL, OPENMETADATA_LABEL, startDemoServers } from '../../demo/servers';
import { claimStateDir, StateDirRefused, type DemoStateDir } from '../../demo/stateDir';
import { startDemoTemporal } from '../../demo/temporal';
import { PG_PASSWORD_VARIABLE, writeWorkflowFile } from '../../demo/workflowFile';
import { EXIT_INTERRUPTED, EXIT_SETUP_FAILED, exitCodeOf } from '../summary';

export interface DemoCommandOptions {
  /** --om-version: the OpenMetadata release the local stand-in speaks (2.0 or 1.12; default 2.0). */
  omVersion?: string;
  /** False with --no-ui. */
  ui?: boolean;
  exit?: boolean;
  json?: boolean;
  postgres?: string;
  dir?: string;
  /** Keep the temporary state folder (without --dir) when the demo ends. */
  keep?: boolean;
}

class Interrupted extends Error {}

/** SIGINT/SIGTERM from the start: each step checks it, and waiting steps race it. */
function watchSignals() {
  let received = false;
  let wake: () => void = () => undefined;
  const signalled = new Promise<void>((resolve) => { wake = resolve; });
  const onSignal = () => {
    received = true;
    wake();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return {
    signalled,
    check() {
      if (received) throw new Interrupted();
    },
    dispose() {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    },
  };
}

/**
 * `hexmeta demo`: a Temporal dev server, the local Hex and OpenMetadata stand-ins, lineage from PostgreSQL when
 * one answers, and one full ingestion through the normal path; then it prints where to look.
 */
export async function demoCommand(options: DemoCommandOptions): Promise<number> {
  if (options.omVersion !== undefined && options.omVersion !== '2.0' && options.omVersion !== '1.12') {
    console.error(`--om-version must be 2.0 or 1.12, not ${options.omVersion}`);
    return EXIT_SETUP_FAILED;
  }
  const signals = watchSignals();
  const cleanups: (() => Promise<void>)[] = [];
  // With --json, stdout carries the report only; everything meant for a person goes to stderr.
  const say = (text: string) => (options.json ? process.stderr.write(`${text}\n`) : process.stdout.write(`${text}\n`));
  let state: DemoStateDir | null = null;
  try {
    state = claimStateDir(options.dir);
    const dir = state.path;

    const temporal = await startDemoTemporal(dir, options.ui !== false, (line) => process.stderr.write(`${line}\n`));
    cleanups.push(temporal.stop);
    signals.check();
    const servers = await startDemoServers(options.omVersion);
    cleanups.push(servers.close);
    const setup = await setUpLineage(options.postgres, process.env, servers);
    cleanups.push(setup.cleanup);
    signals.check();

    const workflowFile = writeWorkflowFile({ dir, hexUrl: servers.hex.url, openMetadataUrl: servers.openMetadata.url, lineage: setup.lineage });
    const lineage = setup.lineage;
    const places: Pick<DemoReport, 'temporal' | 'hex' | 'openMetadata' | 'postgres' | 'workflowFile'> = {
      temporal: { label: 'Temporal dev server (embedded)', address: temporal.address, uiUrl: temporal.uiUrl, workflowUrl: null },
      hex: { label: HEX_LABEL, url: servers.hex.url },
      openMetadata: { label: OPENMETADATA_LABEL, url: servers.openMetadata.url },
      postgres: lineage
        ? { used: true, server: lineage.server, schema: lineage.schema, tables: lineage.tables, hexStatements: lineage.hexStatements, lineagePrefix: lineage.prefix }
        : { used: false },
      workflowFile,
    };
    say(formatPlaces(places, temporal.description));

    const secretsEnv: Record<string, string> = { ...servers.secrets, ...(lineage ? { [PG_PASSWORD_VARIABLE]: lineage.target.password } : {}) };
    const worker = await startDemoWorker(temporal.address, secretsEnv, temporal.uiUrl);
    cleanups.push(worker.stop);
    signals.check();
    const run = await runDemoIngestion({
      address: temporal.address,
      configPath: workflowFile,
      worker,
      interrupted: signals.signalled,
      onStarted: (workflowId, runId) => {
        const url = workflowUrl(temporal.uiUrl, DEMO_NAMESPACE, workflowId);
        process.stderr.write(`\nIngestion workflow ${workflowId} (run ${runId})${url ? `: ${url}` : ''}\n`);
      },
    });
    if (!run) throw new Interrupted();

    const notes = [
      ...(setup.note ? [setup.note] : []),
      `the workflow file is the format you would write for a real workspace; its secrets (HEX_TOKEN, OM_JWT${lineage ? `, ${PG_PASSWORD_VARIABLE}` : ''}) `
        + 'were passed to the worker only',
    ];
    if (!options.exit && temporal.uiUrl) {
      // The exact values of the Web UI's Start Workflow form: its task queue is the demo worker's own.
      notes.push(`to start a run from the Web UI (${temporal.uiUrl}/namespaces/${DEMO_NAMESPACE}/workflows, Start Workflow), fill in: `
        + `Workflow Type: hexIngestion · Task Queue: ${DEMO_TASK_QUEUE} · Workflow ID: hex-demo-from-ui (any) · `
        + `Input (JSON): ${JSON.stringify({ configPath: workflowFile })}`);
    }
    if (!options.exit) {
      notes.push(`while the demo runs, TEMPORAL_ADDRESS=${temporal.address} npx hexmeta ingest -c ${workflowFile} --task-queue ${DEMO_TASK_QUEUE} `
        + 'runs the same ingestion again on its worker');
    }
    const report: DemoReport = {
      ...places,
      stateDir: dir,
      temporal: { ...places.temporal, workflowUrl: workflowUrl(temporal.uiUrl, DEMO_NAMESPACE, run.workflowId) },
      workflowId: run.workflowId,
      runId: run.runId,
      notes,
      summary: run.summary,
      openMetadataContents: storeContents(servers, DEMO_SERVICE_NAME),
    };
    process.stdout.write(`${options.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);

    if (!options.exit) {
      process.stderr.write('\nThe servers keep running; press Ctrl-C to stop them.\n');
      await Promise.race([signals.signalled, worker.crashed]);
      process.stderr.write('Stopping the demo.\n');
    }
    return exitCodeOf(run.summary);
  } catch (error) {
    if (error instanceof StateDirRefused) {
      process.stderr.write(`hexmeta demo: ${error.message}\n`);
      return EXIT_SETUP_FAILED;
    }
    if (error instanceof Interrupted) {
      process.stderr.write('\nInterrupted; stopping the demo.\n');
      return EXIT_INTERRUPTED;
    }
    process.stderr.write(`hexmeta demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_SETUP_FAILED;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    signals.dispose();
    if (state?.release(options.keep === true)) process.stderr.write(`Removed the demo's temporary folder ${state.path} (--keep keeps it).\n`);
    else if (state?.temporary) process.stderr.write(`Kept the demo's folder ${state.path}.\n`);
  }
}
