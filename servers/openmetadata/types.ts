// Shapes shared by the OpenMetadata double's modules, and the public API its tests drive.
import type { Fault, RecordedRequest } from '../http';
import type { ValidatedBody } from './rules/requestValidator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
export type Dashboard = Json;

export interface OpenMetadataServerOptions {
  /** The only accepted bot token. */
  jwt: string;
  users?: { name: string; email: string; displayName?: string }[];
  teams?: { name: string; email: string; displayName?: string }[];
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
