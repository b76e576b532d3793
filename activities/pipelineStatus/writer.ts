// Writes run statuses in the form the OpenMetadata server's release line takes. 1.12: the status alone. 2.0: the
// status, then a live-progress update, whose failure never fails the write (OpenMetadata's own runner ignores it
// too): it is returned so the run can say so once.
import type { BehaviourName } from '../openmetadata/serverBehaviour';
import type { OpenMetadataClient } from '../openmetadata/client';
import { progressUpdateBody } from './progressBody';
import { pipelineStatusBody, type StatusWrite } from './statusBody';

export interface StatusWritten {
  /** Why the live-progress update was not taken, when it was sent and failed. */
  progressFailure?: string;
}

export interface PipelineStatusWriter {
  write(client: OpenMetadataClient, status: StatusWrite): Promise<StatusWritten>;
}

const v1_12: PipelineStatusWriter = {
  async write(client, status) {
    await client.putPipelineStatus(status.run.fqn, pipelineStatusBody(status));
    return {};
  },
};

const v2_0: PipelineStatusWriter = {
  async write(client, status) {
    await client.putPipelineStatus(status.run.fqn, pipelineStatusBody(status));
    try {
      await client.putPipelineProgress(status.run.fqn, status.run.runId, progressUpdateBody(status));
      return {};
    } catch (error) {
      return { progressFailure: error instanceof Error ? error.message : String(error) };
    }
  },
};

/** The writer of a behaviour; runs whose plan named none (made before versions were told apart) use 1.12's. */
export function statusWriterFor(behaviour: BehaviourName | undefined): PipelineStatusWriter {
  return behaviour === '2.0' ? v2_0 : v1_12;
}
