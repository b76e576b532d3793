/**
 * Why a warehouse's query history could not be read:
 * - `configuration`: a connection or queryHistory setting is missing or wrong; retrying cannot help.
 * - `authentication`: the warehouse refused the credentials; retrying cannot help.
 * - `read`: the warehouse or its API failed to answer this read (network, server, throttling, a query error);
 *   a later attempt may succeed.
 */
export type WarehouseProblem = 'configuration' | 'authentication' | 'read';

const TYPE_OF: Record<WarehouseProblem, string> = {
  configuration: 'WarehouseConfigurationError',
  authentication: 'WarehouseAuthenticationError',
  read: 'WarehouseReadError',
};

/** A failure of a history reader, naming the warehouse and, where one is at fault, the setting. */
export class WarehouseError extends Error {
  /** Connection type of the reader (`Postgres`, `Snowflake`, ...); set by the reader factory when the reader did not. */
  warehouse: string | null;
  /** The connection or queryHistory key at fault, when one is. */
  readonly setting: string | null;

  constructor(readonly problem: WarehouseProblem, message: string, where: { warehouse?: string; setting?: string } = {}) {
    super(message);
    this.name = 'WarehouseError';
    this.warehouse = where.warehouse ?? null;
    this.setting = where.setting ?? null;
  }

  /** The failure type the activity reports (and the client and tests match on). */
  get type(): string {
    return TYPE_OF[this.problem];
  }

  get nonRetryable(): boolean {
    return this.problem !== 'read';
  }
}

export function configurationError(message: string, setting?: string): WarehouseError {
  return new WarehouseError('configuration', message, { setting });
}

export function authenticationError(message: string): WarehouseError {
  return new WarehouseError('authentication', message);
}

/** A read that failed for a reason a later attempt may not meet (network, server error, throttling). */
export function readError(message: string): WarehouseError {
  return new WarehouseError('read', message);
}
