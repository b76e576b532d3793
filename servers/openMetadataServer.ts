// Local double of the OpenMetadata REST API for a dashboard connector: entities, search, lineage, auth.
// The implementation lives in ./openmetadata; this module is its public entry point.
export type { RecordedRequest } from './http';
export type { ValidatedBody } from './openmetadata/rules/requestValidator';
export { ownRuleMessage } from './openmetadata/rules/requestValidator';
export type { Dashboard, LineageEdgeView, OpenMetadataServer, OpenMetadataServerOptions } from './openmetadata/types';
export { buildFqn, quoteName, splitFqn } from './openmetadata/fqn';
export { applyJsonPatch } from './openmetadata/jsonPatch';
export { startOpenMetadataServer } from './openmetadata/server';
