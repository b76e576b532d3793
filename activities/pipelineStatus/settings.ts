import { DEFAULT_OUTCOME_SETTINGS, type OutcomeSettings } from '../../workflows/runOutcome';

/** What a workflow file says about the OpenMetadata pipeline a run reports to. */
export interface PipelineSettings extends OutcomeSettings {
  /** Top-level `ingestionPipelineFQN`: `<service>.<pipeline>`; null reports nowhere. */
  fqn: string | null;
  /** Top-level `pipelineRunId`: the OpenMetadata run id to use as given. */
  runId: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function pipelineSettingsOf(file: Record<string, any>): PipelineSettings {
  const workflowConfig = file.workflowConfig ?? {};
  return {
    fqn: typeof file.ingestionPipelineFQN === 'string' && file.ingestionPipelineFQN !== '' ? file.ingestionPipelineFQN : null,
    runId: typeof file.pipelineRunId === 'string' && file.pipelineRunId !== '' ? file.pipelineRunId : null,
    successThreshold: workflowConfig.successThreshold ?? DEFAULT_OUTCOME_SETTINGS.successThreshold,
    raiseOnError: workflowConfig.raiseOnError ?? DEFAULT_OUTCOME_SETTINGS.raiseOnError,
  };
}
