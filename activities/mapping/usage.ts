import type { HexProject } from '../hex/types';
import type { UsageRequest, UsageSummary } from '../openmetadata/types';

/**
 * The usage to report for a dashboard today, or null when there is nothing to report.
 *
 * Hex counts app views over rolling windows (7, 14, 30 days, all time) but not per day, while OpenMetadata
 * stores a count per day and sums days into its weekly and monthly figures. Reporting one seventh of the last
 * seven days, once a day, makes OpenMetadata's weekly figure follow Hex's within a week of daily runs and
 * never double counts when a run is repeated (a day already reported is left alone). Days without views need
 * no record: OpenMetadata counts a missing day as zero.
 */
export function dailyUsageOf(project: HexProject, today: string, stored: UsageSummary | null | undefined): UsageRequest | null {
  if (stored?.date === today) return null;
  const lastSevenDays = project.analytics?.appViews?.lastSevenDays;
  if (typeof lastSevenDays !== 'number' || !Number.isFinite(lastSevenDays) || lastSevenDays <= 0) return null;
  // A dashboard that was viewed this week is never reported as unused.
  return { date: today, count: Math.max(1, Math.round(lastSevenDays / 7)) };
}

/** UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
