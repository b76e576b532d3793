// What every route handler works against.
import type { EntityStore } from '../entityStore';
import type { RequestValidator } from '../rules/requestValidator';

export interface RouteContext {
  store: EntityStore;
  validator: RequestValidator;
  /** Bulk answers still to leave out their last request (a server answering incompletely); the writes happen. */
  bulkAnswersOmitting?: number;
}
