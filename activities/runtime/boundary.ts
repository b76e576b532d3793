import { Context } from '@temporalio/activity';
import { scrubError, scrubValue } from '../common/scrubber';

type Activity = (...args: any[]) => Promise<unknown>;

/**
 * Routes this activity's heartbeat details through the scrubber: they are stored by Temporal and come back
 * in timeout failures and `describe`, so they leave the activity like a result does.
 */
function scrubHeartbeats(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return; // called outside a Temporal activity (direct calls in tests)
  }
  const send = context.heartbeat;
  (context as { heartbeat: (details?: unknown) => void }).heartbeat = (details) => send(details === undefined ? undefined : scrubValue(details));
}

/**
 * The activities with every string that leaves them scrubbed: returned values (failures, warnings, counts
 * and cursors alike), thrown errors (message, stack, details, cause) and heartbeat details. Whatever a remote
 * service echoes (an Authorization header, a password) stops here, before Temporal stores it.
 */
export function scrubbedAtBoundary<T extends Record<string, Activity>>(activities: T): T {
  const wrapped: Record<string, Activity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: unknown[]) => {
      scrubHeartbeats();
      try {
        return scrubValue(await activity(...args));
      } catch (error) {
        throw scrubError(error);
      }
    };
  }
  return wrapped as T;
}
