// What operators see of a run in Temporal: search attributes to find a service's runs however they were
// started, a summary and details on the workflow's page, and a memo naming the workflow file (never a secret).
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import type { ConfigSource, IngestionPlan } from '../activities/config/types';
import { configFileOf, runDetails, runSummary } from '../workflows/runText';

export { configFileOf, runDetails, runSummary };

export const SERVICE_ATTRIBUTE = defineSearchAttributeKey('HexmetaService', SearchAttributeType.KEYWORD);
export const TRIGGER_ATTRIBUTE = defineSearchAttributeKey('HexmetaTrigger', SearchAttributeType.KEYWORD);

/** How a run was started: `hexmeta ingest`, a schedule, the Web UI, or the programmatic API. */
export type Trigger = 'cli' | 'schedule' | 'ui' | 'api';

/** The one command a production namespace needs before runs carry the attributes. */
export const CREATE_SEARCH_ATTRIBUTES_COMMAND =
  'temporal operator search-attribute create --name HexmetaService --type Keyword --name HexmetaTrigger --type Keyword';

export function searchAttributesOf(serviceName: string, trigger: Trigger): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: SERVICE_ATTRIBUTE, value: serviceName },
    { key: TRIGGER_ATTRIBUTE, value: trigger },
  ]);
}

/** Start options that show the run in Temporal's UI and lists. */
export function visibilityOptions(source: ConfigSource, plan: IngestionPlan, trigger: Trigger) {
  return {
    typedSearchAttributes: searchAttributesOf(plan.serviceName, trigger),
    staticSummary: runSummary(plan.serviceName),
    staticDetails: runDetails(source, plan),
    memo: { configFile: configFileOf(source) },
  };
}

/** The server refused a start because a search attribute is not registered in the namespace. */
export function isUnregisteredSearchAttribute(error: unknown): boolean {
  return /search attribute/i.test(String((error as Error)?.message ?? error)) && /Hexmeta(Service|Trigger)/.test(String((error as Error)?.message ?? error));
}
