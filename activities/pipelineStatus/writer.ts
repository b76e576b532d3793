// Writes run statuses in the form the OpenMetadata server's version takes. Only 1.12's exists; a server whose
// pipeline entity keeps a list of statuses, or that takes live progress on its own endpoint, gets its writer here.
import type { OpenMetadataClient } from '../openmetadata/client';
import { pipelineStatusBody, type StatusWrite } from './statusBody';

export interface PipelineStatusWriter {
  write(client: OpenMetadataClient, status: StatusWrite): Promise<void>;
}

const v1_12: PipelineStatusWriter = {
  async write(client, status) {
    await client.putPipelineStatus(status.run.fqn, pipelineStatusBody(status));
  },
};

export function statusWriterFor(_openMetadataVersion: string | null): PipelineStatusWriter {
  return v1_12;
}
