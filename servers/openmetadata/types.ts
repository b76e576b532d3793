// Shapes shared by the OpenMetadata double's modules, and the public API its tests drive.
import type { Fault, RecordedRequest } from '../http';
import type { Release } from './release';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
export type Dashboard = Json;

/** A request body the server accepted, with the rule (an OpenMetadata schema path, `jsonPatch` or `usage`) it was checked against. */
export interface ValidatedBody {
  schema: string;
  body: unknown;
}

export interface OpenMetadataServerOptions {
  /** The only accepted bot token. */
  jwt: string;
  users?: { name: string; email: string; displayName?: string }[];
  teams?: { name: string; email: string; displayName?: string }[];
  /** `1.12.6` (default) or `2.0.7` (also `1.12` / `2.0`): the release whose API the double speaks. */
  version?: string;
  latencyMs?: number;
  /** A folder of OpenMetadata's JSON Schemas to check requests against besides the server's own rules (default: $OPENMETADATA_SPEC_DIR, if set). */
  specDir?: string;
  /** Keep every request body the server validated and accepted, for `validatedBodies()`. */
  keepValidatedBodies?: boolean;
}
export interface LineageEdgeView {
  fromId: string;
  fromType: string;
  toId: string;
  toType: string;
  lineageDetails?: unknown;
}
export interface OpenMetadataServer {
  /** hostPort including /api. */
  url: string;
  /** The version /system/version reports. */
  version: string;
  release: Release;
  /** 2.0: every live-progress update accepted (PUT .../progress/{fqn}/{runId}), in order. */
  progressUpdates(): { pipeline: string; runId: string; update: Json }[];
  /** Sets fields of an entity as a user would in OpenMetadata's UI (description, displayName, owners). */
  curate(type: 'dashboard' | 'chart', fqn: string, fields: { description?: string; displayName?: string; owners?: { id: string; type: string }[] }): void;
  requests: RecordedRequest[];
  injectFault(fault: Fault): void;
  /** The next `count` bulk answers leave out their last successful request, though it was written. */
  omitFromBulkAnswers(count: number): void;
  addDatabaseService(name: string, serviceType: string, connectionConfig?: Record<string, unknown>): void;
  addTable(fqn: string, opts?: { columns?: string[] }): { id: string };
  dashboards(): Dashboard[];
  dashboardService(name: string): unknown | undefined;
  classifications(): unknown[];
  tags(): unknown[];
  lineageEdges(): LineageEdgeView[];
  /** The ingestion pipeline with this FQN (deleted ones too). */
  ingestionPipeline(fqn: string): Json | undefined;
  /** Every run status accepted (PUT .../pipelineStatus), in order, with the FQN of its pipeline. */
  pipelineStatusWrites(): { pipeline: string; status: Json }[];
  /** Successful PUT/PATCH/DELETE/POST requests. */
  writeCount(): number;
  /** Accepted request bodies with the rule each was checked against (empty unless `keepValidatedBodies`). */
  validatedBodies(): ValidatedBody[];
  close(): Promise<void>;
}
