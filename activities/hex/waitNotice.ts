// Tells the run an activity works for that it is about to wait on Hex (Retry-After, or pacing under the rate
// limit), so the Temporal UI's current details say so and until when. Only waits of a few seconds or more, and
// not again for a wait ending within a second of one already told: a signal is a history event.
import { Context } from '@temporalio/activity';
import { hexWaitSignal, type HexWait } from '../../workflows/messages';

/** Shorter waits are routine pacing, not worth a line. */
export const NOTED_WAIT_MS = 2_000;
const TOLD_RUNS_KEPT = 1_000;

/** Per workflow run, the end of the last wait told. */
const told = new Map<string, number>();

export function noteHexWait(ms: number, reason: HexWait['reason'], now = Date.now()): void {
  if (ms < NOTED_WAIT_MS) return;
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // outside an activity (direct calls in tests, the CLI's own checks)
  }
  const { workflowExecution, workflowType } = context.info;
  if (workflowType !== 'hexIngestion' || !workflowExecution) return;
  const until = now + ms;
  const key = `${workflowExecution.workflowId}/${workflowExecution.runId}`;
  if (until <= (told.get(key) ?? 0) + 1_000) return;
  told.delete(key);
  told.set(key, until);
  if (told.size > TOLD_RUNS_KEPT) told.delete(told.keys().next().value!);
  let client;
  try {
    client = context.client;
  } catch {
    return; // a worker without a client cannot tell its runs
  }
  client.workflow.getHandle(workflowExecution.workflowId, workflowExecution.runId)
    .signal(hexWaitSignal, { reason, until: new Date(until).toISOString() })
    .catch((error) => context.log.debug('wait on Hex not told to the run', { reason: error instanceof Error ? error.message : String(error) }));
}
