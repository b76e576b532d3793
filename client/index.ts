/**
 * hexmeta's programmatic API: start, wait for and watch ingestions, and schedule them, from any Node program
 * holding a Temporal `Client`. Workers (`hexmeta worker`, or `createHexWorker` in-process) run the work.
 */
export {
  connect, getProgress, listRuns, runIngestion, startIngestion, workflowIdFor,
  type IngestionHandle, type IngestionOptions, type IngestionRun, type ListRunsOptions,
} from './core';
import type { IngestionSummary } from '../workflows/messages';

export type { ConfigSource } from '../activities/config/types';
export type { IngestionSummary, Phase } from '../workflows/messages';
export type { ItemReport, LineageResult } from '../activities/types';
export type { ScheduledIngestionResult } from '../workflows/scheduled';
/** What a running ingestion has done so far (the same shape as its final summary). */
export type IngestionProgress = IngestionSummary;

export {
  createSchedule, deleteSchedule, describeSchedule, listSchedules, pauseSchedule, parseInterval, scheduleIdFor,
  ScheduleError, triggerSchedule, unpauseSchedule,
  type CreateScheduleOptions, type ScheduleInfo, type ScheduleStateChange, type ScheduleSummary, type ScheduleTarget, type ScheduleTiming,
} from './schedules';
export { createHexWorker, DEFAULT_TASK_QUEUE, type HexWorkerOptions } from '../worker/createWorker';
export { ConfigError } from '../activities/config/errors';
export {
  connectNative, ConnectionSettingsError, resolveConnectionSettings, TemporalConnectionError, type ConnectionFlags, type ConnectionSettings,
} from './connection';
