// Errors the double answers with, and the reply shape its routes return.
import type { Reply } from '../http';
import { applyJsonPatch, PatchError } from './jsonPatch';
import type { Json } from './types';

/** Thrown by routes; the server turns it into `{code, message}` with this status. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const notFound = (type: string, key: string) => new ApiError(404, `${type} instance for ${key} not found`);

export function reply(status: number, body?: unknown, change?: string): Reply {
  return { status, body, headers: change ? { 'X-OpenMetadata-Change': change } : undefined };
}

/** Applies a client's JSON Patch; a patch that does not apply is the client's 400. */
export function patchOrBadRequest(document: Json, operations: unknown): Json {
  try {
    return applyJsonPatch(document, operations);
  } catch (error) {
    if (error instanceof PatchError) throw new ApiError(400, error.message);
    throw error;
  }
}
