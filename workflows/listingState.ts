import type { CreatedDashboard, ListingProgress } from '../activities/types';

/** Dashboards a `listingProgress` answer carries at most (an answer stays far below the payload limit). */
const LISTING_ANSWER_LIMIT = 5_000;

/**
 * The listing's state as this run owns it: dashboards created so far (per listing activity, as returned) and
 * whether the listing has ended. Lineage activities beside the listing ask for it (listingProgressQuery).
 */
export class ListingState {
  private readonly batches: CreatedDashboard[][] = [];
  private count = 0;
  done = false;
  handedOver = false;

  add(created: CreatedDashboard[] | undefined): void {
    if (!created?.length) return;
    this.batches.push(created);
    this.count += created.length;
  }

  /** The dashboards from position `from` on (bounded), and whether the listing has ended. */
  from(from: number): ListingProgress {
    const created: CreatedDashboard[] = [];
    let position = 0;
    for (const batch of this.batches) {
      if (created.length >= LISTING_ANSWER_LIMIT) break;
      if (position + batch.length > from) {
        for (const dashboard of batch.slice(Math.max(0, from - position))) {
          if (created.length >= LISTING_ANSWER_LIMIT) break;
          created.push(dashboard);
        }
      }
      position += batch.length;
    }
    const next = Math.max(from, 0) + created.length;
    return { done: this.done, handedOver: this.handedOver, created, next, more: next < this.count };
  }
}
