import { Context } from '@temporalio/activity';

export interface SlowStepActivities {
  slowStep(): Promise<{ attempt: number; identity: string }>;
}

/** `hang`: the first attempt heartbeats every second until cancelled, as a worker busy with a long page would. */
export function slowStepActivities(options: { hang: boolean; identity: string }): SlowStepActivities {
  return {
    async slowStep() {
      const context = Context.current();
      if (options.hang && context.info.attempt === 1) {
        for (;;) {
          context.heartbeat();
          await context.sleep(1_000);
        }
      }
      return { attempt: context.info.attempt, identity: options.identity };
    },
  };
}
