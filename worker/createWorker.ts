import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { defaultActivityDeps } from '../activities/runtime/deps';
import { workerIdentity } from './reapDeadWorkers';
import { packagedWorkflowBundle, prebuiltWorkflowBundle } from './workflowBundle';

export const DEFAULT_TASK_QUEUE = 'hexmeta';

export interface HexWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * The Web UI of the server this worker polls, when this process knows it (an embedded dev server's): the
   * OpenMetadata run status links to the run there. Otherwise HEXMETA_TEMPORAL_UI_URL of `env`.
   */
  temporalUiUrl?: string | null;
}

/** A worker running the hexmeta workflow and activities. */
export async function createHexWorker(options: HexWorkerOptions): Promise<Worker> {
  const env = options.env ?? process.env;
  const bundle = packagedWorkflowBundle() ?? await prebuiltWorkflowBundle();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    // `<pid>@<hostname>`: a worker of the same host tells from it whether this one died (see reapDeadWorkers.ts).
    identity: workerIdentity(),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(defaultActivityDeps(options.temporalUiUrl ? { ...env, HEXMETA_TEMPORAL_UI_URL: options.temporalUiUrl } : env)),
    maxConcurrentActivityTaskExecutions: 20,
    // A heartbeat reaches Temporal within half a second (not 80% of the heartbeat timeout): the CLI's progress
    // line reads the batch in flight from it, and a worker that dies leaves the resume point of its last page
    // (a page takes about a second), not of the one or two before. Activities heartbeat per page or row batch.
    maxHeartbeatThrottleInterval: '500 milliseconds',
    // A workflow task waits this long for the worker it is sticky to before any worker takes it (SDK default 10 s,
    // which a killed worker cost the run each time). The SDK's core polls the sticky queue apart from the busy
    // JavaScript thread, so a live worker takes its task in milliseconds; one that misses costs one replay.
    stickyQueueScheduleToStartTimeout: '1 second',
    // Ctrl-C or SIGTERM: activities are told at once and hand back what they finished (see activities/ingestProjectPages.ts).
    shutdownGraceTime: 0,
    shutdownForceTime: '4 seconds',
  });
}
