// What every route handler works against.
import type { EntityStore } from '../entityStore';
import type { Release } from '../release';
import type { RequestValidator } from '../rules/requestValidator';

export interface RouteContext {
  store: EntityStore;
  validator: RequestValidator;
  /** The release line whose differences the double applies. */
  release: Release;
  /** Entity id -> fields a user set (see resources/curation.ts): 2.0 bulk writes keep them unless told to override. */
  curated?: Map<string, Set<string>>;
  /** Bulk answers still to leave out their last request (a server answering incompletely); the writes happen. */
  bulkAnswersOmitting?: number;
}
