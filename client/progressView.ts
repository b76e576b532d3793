import type { LineageCounts, PageCounts, PagesResult } from '../activities/types';
import type { IngestionSummary } from '../workflows/messages';

/**
 * The workflow's `progress` query knows what activities returned; a batch of pages returns after up to ten
 * pages. The batch in flight heartbeats its pages so far (its resume point), and so does each lineage step:
 * the progress shown adds those, so the line moves page by page and agrees with the log.
 */
export interface PendingActivityLike {
  activityType?: { name?: string | null } | null;
  heartbeatDetails?: { payloads?: unknown[] | null } | null;
}

export type DecodePayload = (payload: unknown) => unknown;

/** What activities still running have done so far, from their last heartbeat. */
export interface InFlight {
  pages: number;
  counts: Partial<PageCounts>;
  lineage: LineageCounts[];
}

export function inFlightOf(pending: PendingActivityLike[], decode: DecodePayload): InFlight {
  const inFlight: InFlight = { pages: 0, counts: {}, lineage: [] };
  for (const activity of pending) {
    const payload = activity.heartbeatDetails?.payloads?.[0];
    if (!payload) continue;
    let details: unknown;
    try {
      details = decode(payload);
    } catch {
      continue;
    }
    if (!details || typeof details !== 'object') continue;
    const name = activity.activityType?.name;
    if (name === 'ingestProjectPages') {
      const batch = details as Partial<PagesResult>;
      inFlight.pages += Number(batch.pagesRead) || 0;
      for (const [key, value] of Object.entries(batch.counts ?? {})) {
        const k = key as keyof PageCounts;
        inFlight.counts[k] = (inFlight.counts[k] ?? 0) + (Number(value) || 0);
      }
    } else if (name === 'lineageForPrefix') {
      const counts = (details as { counts?: LineageCounts }).counts;
      if (counts && typeof counts === 'object') inFlight.lineage.push(counts);
    }
  }
  return inFlight;
}

/** The workflow's summary with the work in flight added (a copy). */
export function withInFlight(summary: IngestionSummary, inFlight: InFlight): IngestionSummary {
  const shown = { ...summary, pagesRead: summary.pagesRead + inFlight.pages };
  for (const [key, value] of Object.entries(inFlight.counts)) {
    const k = key as keyof PageCounts;
    shown[k] = (shown[k] ?? 0) + (value ?? 0);
  }
  return shown;
}

/** Lineage so far: finished steps from the summary, steps in flight from their heartbeats. */
export function lineageSoFar(summary: IngestionSummary, inFlight: InFlight): { queriesRead: number; edgesWritten: number } | null {
  const done = (summary.lineage ?? []).map((l) => l.counts).filter((c): c is LineageCounts => !!c);
  const all = [...done, ...inFlight.lineage];
  if (all.length === 0) return null;
  return {
    queriesRead: all.reduce((n, c) => n + (c.queriesRead ?? 0), 0),
    edgesWritten: all.reduce((n, c) => n + (c.edgesWritten ?? 0) + (c.edgesExisting ?? 0), 0),
  };
}

/** Progress never goes back on screen: a batch ending between the query and the describe is counted once. */
export class MonotonicCounts {
  private seen: Record<string, number> = {};

  apply(summary: IngestionSummary): IngestionSummary {
    const shown = { ...summary } as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(shown)) {
      if (typeof value !== 'number') continue;
      const kept = Math.max(value, this.seen[key] ?? 0);
      this.seen[key] = kept;
      shown[key] = kept;
    }
    return shown as unknown as IngestionSummary;
  }
}

/**
 * Projects a second over the last minute of samples, and the time left when the size of the workspace is known
 * (the projects the service's last completed run saw).
 */
export class ProgressRate {
  private samples: { at: number; projects: number }[] = [];

  constructor(private readonly expectedProjects: number | null = null, private readonly windowMs = 60_000) {}

  add(projects: number, at = Date.now()): void {
    this.samples.push({ at, projects });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  /** Projects a second, or null before two samples a second apart. */
  perSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || last.at - first.at < 1_000) return null;
    return (last.projects - first.projects) / ((last.at - first.at) / 1000);
  }

  /** Seconds left for the listing, or null when the workspace's size or the rate is unknown. */
  secondsLeft(): number | null {
    const rate = this.perSecond();
    const last = this.samples[this.samples.length - 1];
    if (this.expectedProjects === null || !rate || rate <= 0 || !last) return null;
    return Math.max(0, (this.expectedProjects - last.projects) / rate);
  }
}

/** `1:05`, `12:00:30` */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
