// What every route handler works against.
import type { OpenMetadataSpec } from '../../openMetadataSpec';
import type { EntityStore } from '../entityStore';

export interface RouteContext {
  store: EntityStore;
  spec: OpenMetadataSpec;
  /** Bulk answers still to leave out their last request (a server answering incompletely); the writes happen. */
  bulkAnswersOmitting?: number;
}
