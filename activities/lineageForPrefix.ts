import { Context } from '@temporalio/activity';
import type { Connected, RunCache } from './runtime/context';
import { emptyLineageCounts, PrefixLineage } from './edges/lineageRows';
import { askOwnWorkflow, ListingWatch } from './edges/listingWatch';
import { parsePrefix } from './openmetadata/tables';
import { existingDashboards } from './dashboards/storedEntities';
import { findWarehouseConnection } from './warehouses/connection';
import { WarehouseError } from './warehouses/errors';
import type { HistoryCursor, QueryHistorySource } from './warehouses/types';
import type { ItemReport, LineageInput, LineageResult } from './types';
import { addReport, type LineageCounts } from '../workflows/summary';

export const HISTORY_PAGE_SIZE = 500;
/** While the listing runs, how often the workflow is asked for the dashboards created since. */
const SETTLE_EVERY_MS = 500;

interface ResumePoint {
  cursor: HistoryCursor | null;
  counts: LineageCounts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lineage for one `dbServicePrefixes` entry: pages through that warehouse's query history in the run's time
 * window, keeps the SQL Hex sent, and writes table -> dashboard edges. After the listing, each page is a
 * heartbeat resume point, so a retried attempt continues where the last one stopped.
 *
 * `whileListing`: started beside the listing, so the history is read and the edges of dashboards already
 * there are written while Hex's rate limit paces the listing. Rows of projects not listed yet wait, in this
 * attempt's memory, for their dashboards: the workflow, which owns the listing's state, is asked which ones
 * the run has created so far and when the listing has ended, so it works the same whichever worker lists.
 * Only rows past the bound on waiting names (or a run that continued as new meanwhile) make the result
 * `incomplete`, and the workflow reads that prefix again after the listing.
 */
const KEEPALIVE_MS = 5_000;

export async function lineageForPrefix(conn: Connected, cache: RunCache, input: LineageInput): Promise<LineageResult> {
  const prefix = parsePrefix(input.prefix);
  const warnings: ItemReport[] = [];
  const warn = (item: string, reason: string) => addReport(warnings, item, reason);
  const context = Context.current();
  // Waiting rows live in this attempt's memory only: a retried attempt starts over.
  const resume = input.whileListing ? undefined : context.info.heartbeatDetails as ResumePoint | undefined;
  // Spread over the empty counts: a heartbeat from before a count existed still resumes with every field.
  const counts: LineageCounts = { ...emptyLineageCounts(), ...resume?.counts };
  let cursor = resume?.cursor ?? null;

  const lookup = await findWarehouseConnection(conn.openMetadata, conn.config.file.warehouses, prefix.service);
  if ('problem' in lookup) {
    warn(prefix.service, `no lineage from this warehouse: ${lookup.problem}`);
    return { prefix: input.prefix, dialect: null, counts, warnings };
  }
  let source: QueryHistorySource;
  try {
    source = conn.historySources(lookup.config, conn.config.file.queryHistory?.[prefix.service], conn.log.with({ warehouse: prefix.service }));
  } catch (error) {
    warn(prefix.service, `no lineage from this warehouse: ${(error as Error).message}`);
    return { prefix: input.prefix, dialect: null, counts, warnings };
  }
  const claimant = `${context.info.activityId}#${context.info.attempt}`;
  const watch = input.whileListing ? new ListingWatch(askOwnWorkflow()) : null;
  const lineage = new PrefixLineage({
    conn, cache, serviceName: input.plan.serviceName, prefix, dialect: source.dialect, counts, warn, claimant,
    maxWaitingNames: Number(process.env.HEXMETA_LINEAGE_MAX_WAITING_NAMES) || undefined,
    createdByRun: watch?.createdId,
  });
  const known = watch ? await listedSoFar(conn, cache, input, watch) : undefined;
  /** Asks the workflow at most every SETTLE_EVERY_MS. */
  let askedAt = 0;
  const askWorkflow = async () => {
    if (!watch || Date.now() - askedAt < SETTLE_EVERY_MS) return;
    askedAt = Date.now();
    await watch.refresh();
  };
  // Names several tables fit are listed in the result, so the summary can say why their edges are missing.
  const ended = (incomplete: boolean): LineageResult => ({
    prefix: input.prefix, dialect: source.dialect, counts, warnings,
    ...(lineage.ambiguous.length ? { ambiguous: lineage.ambiguous } : {}),
    ...(incomplete ? { incomplete: true } : {}),
  });
  /**
   * Writes waiting rows as the workflow reports their dashboards created, until `enough` or the listing's end;
   * false: nothing more can be waited for (an older workflow, or the run continued as new).
   */
  const settleUntil = async (enough: () => boolean): Promise<boolean> => {
    while (!enough() && !watch!.done) {
      if (watch!.unavailable || watch!.handedOver) return false;
      await sleep(SETTLE_EVERY_MS);
      // The keepalive sends it: rows written while waiting show in the progress line without a heartbeat per
      // wait (each one is a billed action on Temporal Cloud).
      committed = { cursor, counts: { ...counts } };
      await askWorkflow();
      await lineage.settle(known!, false);
    }
    return true;
  };
  // The last resume point, sent again every few seconds: a slow warehouse query still shows the attempt alive,
  // so a dead worker is told apart within one heartbeat timeout.
  let committed: ResumePoint = { cursor, counts: { ...counts } };
  const keepalive = setInterval(() => context.heartbeat(committed), KEEPALIVE_MS);
  try {
    try {
      do {
        const page = await source.readPage(input.window, cursor, HISTORY_PAGE_SIZE);
        await askWorkflow();
        // Once the listing is over, a project not listed has no dashboard to wait for.
        await lineage.rows(page.rows, watch?.done ? undefined : known);
        cursor = page.next;
        committed = { cursor, counts: { ...counts } };
        context.heartbeat(committed);
        // Past the budget, read on only as the listing frees waiting rows: memory stays flat at any size.
        if (known && cursor && !(await settleUntil(() => lineage.heldBytes <= waitingBudgetBytes()))) return ended(true);
      } while (cursor);
    } catch (error) {
      // A setting or credential the warehouse refuses costs this prefix its lineage, not the run; a failed read is retried.
      if (error instanceof WarehouseError && error.nonRetryable) {
        warn(prefix.service, `no lineage from this warehouse: ${error.message}`);
        return ended(false);
      }
      throw error;
    } finally {
      await source.close().catch(() => undefined);
    }
    if (lineage.overflowed) return ended(true);
    if (known) {
      // The history is read; write the waiting rows as their dashboards are created.
      if (!(await settleUntil(() => lineage.waitingProjects === 0))) return ended(true);
      await lineage.settle(known, true);
    }
    return ended(false);
  } finally {
    clearInterval(keepalive);
    lineage.release();
  }
}

/** Bytes of history rows one lineage activity may keep waiting (HEXMETA_LINEAGE_WAITING_MB, default 16 MiB). */
export function waitingBudgetBytes(): number {
  return (Number(process.env.HEXMETA_LINEAGE_WAITING_MB) || 16) * 2 ** 20;
}

/**
 * Whether a project's dashboard can be looked up now: the workflow says this run created it, or OpenMetadata
 * held it live before the run (its id does not change when the listing rewrites it).
 */
async function listedSoFar(conn: Connected, cache: RunCache, input: LineageInput, watch: ListingWatch): Promise<(projectId: string) => boolean> {
  const [stored] = await Promise.all([existingDashboards(cache, conn, input.plan), watch.refresh()]);
  return (projectId) => watch.createdId(projectId) !== undefined || stored.get(projectId)?.deleted === false;
}
