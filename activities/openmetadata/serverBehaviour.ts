// Which OpenMetadata release line's calls a run uses, chosen from the version the server reports. Where 1.12
// and 2.0 differ (the bulk write's overrideMetadata flag, server-side stale deletion, a pipeline's statuses as
// a list, live progress), the behaviour says which form to use; everything else is the same call on both.

export type BehaviourName = '1.12' | '2.0';

/** Plain data: it travels in the plan through workflow state. */
export interface ServerBehaviour {
  name: BehaviourName;
  /** The version the server reported. */
  serverVersion: string;
  /** PUT /{collection}/bulk takes `overrideMetadata=true|false`. */
  bulkOverrideMetadata: boolean;
  /** DELETE /{collection}/deleteStale marks deleted what a run did not see, in one request (404 falls back). */
  deleteStale: boolean;
  /** IngestionPipeline.pipelineStatuses is a list of statuses (1.12: one object). */
  pipelineStatusesList: boolean;
  /** PUT /services/ingestionPipelines/progress/{fqn}/{runId} takes live progress (failures are not reported). */
  liveProgress: boolean;
}

export interface ChosenBehaviour {
  behaviour: ServerBehaviour;
  /** Set when the version is not one hexmeta knows: said once, in the run's warnings. */
  warning: string | null;
}

const LATEST_KNOWN_MAJOR = 2;

function named(name: BehaviourName, serverVersion: string): ServerBehaviour {
  const v2 = name === '2.0';
  return { name, serverVersion, bulkOverrideMetadata: v2, deleteStale: v2, pipelineStatusesList: v2, liveProgress: v2 };
}

/**
 * 1.x servers get the 1.12 behaviour, 2.x the 2.0 behaviour. A later major gets the 2.0 behaviour and a warning
 * (its new calls fall back on 404 where the 2.0 ones can); a version that cannot be read gets the 1.12 one,
 * whose calls every supported server answers.
 */
export function behaviourFor(serverVersion: string): ChosenBehaviour {
  const match = /^\s*v?(\d+)\.(\d+)/.exec(serverVersion);
  if (!match) {
    return {
      behaviour: named('1.12', serverVersion),
      warning: `OpenMetadata reported version ${JSON.stringify(serverVersion)}, which hexmeta cannot read: using the 1.12 behaviour`,
    };
  }
  const major = Number(match[1]);
  if (major < 2) return { behaviour: named('1.12', serverVersion), warning: null };
  if (major === LATEST_KNOWN_MAJOR) return { behaviour: named('2.0', serverVersion), warning: null };
  return {
    behaviour: named('2.0', serverVersion),
    warning: `OpenMetadata ${serverVersion} is newer than the releases hexmeta knows (1.12 and 2.x): using the 2.0 behaviour`,
  };
}

/** The behaviour a plan carries; plans made before versions were told apart mean 1.12. */
export function behaviourOf(plan: { openMetadata?: ServerBehaviour }): ServerBehaviour {
  return plan.openMetadata ?? named('1.12', 'unknown');
}

/** One line for the summary and test-connection. */
export function describeBehaviour(b: ServerBehaviour): string {
  return `OpenMetadata ${b.serverVersion}: ${b.name} behaviour`;
}
