// A workflow whose one activity outlives its worker: the first attempt hangs (heartbeating), a later one returns.
import { proxyActivities } from '@temporalio/workflow';
import type { SlowStepActivities } from './activities';

// Both the heartbeat timeout and the retry backoff are long: a retry well before them can only come from reaping.
const { slowStep } = proxyActivities<SlowStepActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '90 seconds',
  retry: { initialInterval: '60 seconds', maximumAttempts: 3 },
});

export async function slowStepWorkflow(): Promise<{ attempt: number; identity: string }> {
  return slowStep();
}
