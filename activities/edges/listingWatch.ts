import { Context } from '@temporalio/activity';
import { listingProgressQuery } from '../../workflows/messages';
import type { CreatedDashboard, ListingProgress } from '../types';

/** Query failures in a row tolerated (a server restart, a busy worker) before the lineage attempt fails. */
const MAX_QUERY_FAILURES = 20;

/** Asks the workflow for its listing's progress from position `from`; null when the workflow cannot answer it. */
export type AskListing = (from: number) => Promise<ListingProgress | null>;

/**
 * The listing as the workflow knows it, for a lineage activity running beside it: dashboards created so far
 * and whether the listing has ended. Learnt by querying the activity's own workflow run, so it is the same on
 * every worker; only what the workflow returned is kept, never another activity's memory.
 */
export class ListingWatch {
  done = false;
  handedOver = false;
  /** The workflow does not answer the query (a run begun by an older version): nothing can be waited for. */
  unavailable = false;
  private readonly created = new Map<string, string | null>();
  private next = 0;
  private failures = 0;

  constructor(private readonly ask: AskListing) {}

  /** Asks again; a failed query keeps what was known (the attempt fails after many in a row). */
  async refresh(): Promise<void> {
    let progress: ListingProgress | null;
    try {
      progress = await this.ask(this.next);
    } catch (error) {
      if (++this.failures >= MAX_QUERY_FAILURES) throw error;
      return;
    }
    this.failures = 0;
    if (!progress) {
      this.unavailable = true;
      return;
    }
    this.add(progress.created);
    this.next = progress.next;
    this.done = progress.done;
    this.handedOver = progress.handedOver;
    // An answer is bounded in size: ask on until caught up.
    if (progress.more) await this.refresh();
  }

  /** The dashboard's id (null: not named yet, look it up), or undefined when the run has not created it. */
  readonly createdId = (projectId: string): string | null | undefined => this.created.get(projectId);

  private add(created: CreatedDashboard[]): void {
    for (const [projectId, id] of created) this.created.set(projectId, id);
  }
}

/** Queries the workflow run this activity belongs to. */
export function askOwnWorkflow(): AskListing {
  const context = Context.current();
  const execution = context.info.workflowExecution;
  // Started by a workflow always; an activity run on its own has no listing to wait for.
  if (!execution) return async () => null;
  const handle = context.client.workflow.getHandle(execution.workflowId, execution.runId);
  return async (from) => {
    try {
      return await handle.query(listingProgressQuery, from);
    } catch (error) {
      // A workflow of an older version has no such query: lineage then cannot wait on its listing.
      if (/QueryNotRegistered|did not register a handler|unknown query type/i.test(`${(error as Error)?.name} ${(error as Error)?.message}`)) return null;
      throw error;
    }
  };
}
