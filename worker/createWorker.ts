import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { packagedWorkflowBundle, prebuiltWorkflowBundle } from './workflowBundle';

export const DEFAULT_TASK_QUEUE = 'hexmeta';

export interface HexWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  env?: NodeJS.ProcessEnv;
}

/** A worker running the hexmeta workflow and activities. */
export async function createHexWorker(options: HexWorkerOptions): Promise<Worker> {
  const bundle = packagedWorkflowBundle() ?? await prebuiltWorkflowBundle();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(options.env ?? process.env),
    maxConcurrentActivityTaskExecutions: 20,
  });
}
