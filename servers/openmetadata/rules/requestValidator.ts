// Checks request bodies with the server's own rules and, when it was given OpenMetadata's schemas, with those
// too; keeps the bodies it accepted for anyone who wants to replay them (in memory, and in the file named by
// HEXMETA_OM_BODY_LOG as one JSON line each).
import { appendFileSync } from 'node:fs';
import { validatorMessage, type OpenMetadataSpec } from '../../openMetadataSpec';
import type { Release } from '../release';
import { asRelease112 } from './release20';
import { requestRule } from './requestRules';
import type { ValidatedBody } from '../types';

export type { ValidatedBody } from '../types';

/** The server's own verdict on a body: null when it is accepted, else the bracketed problem list. */
export function ownRuleMessage(schema: string, body: unknown, release: Release = '1.12'): string | null {
  return validatorMessage(requestRule(schema, release), body);
}

export interface RequestValidatorOptions {
  spec?: OpenMetadataSpec;
  /** Keep accepted bodies in memory (`accepted`). */
  keepBodies?: boolean;
  /** Append accepted bodies to this file, one JSON line each. */
  bodyLogFile?: string;
  /** The release line whose rules apply (default 1.12). */
  release?: Release;
}

export class RequestValidator {
  readonly spec?: OpenMetadataSpec;
  readonly accepted: ValidatedBody[] = [];
  private readonly keepBodies: boolean;
  private readonly bodyLogFile?: string;
  readonly release: Release;

  constructor(options: RequestValidatorOptions = {}) {
    this.spec = options.spec;
    this.release = options.release ?? '1.12';
    this.keepBodies = options.keepBodies ?? false;
    this.bodyLogFile = options.bodyLogFile;
  }

  /** Null when both the own rules and (when loaded) OpenMetadata's schema accept the body. */
  check(schema: string, body: unknown): string | null {
    const message = ownRuleMessage(schema, body, this.release) ?? this.specMessage(schema, body);
    if (message === null) this.remember({ schema, body });
    return message;
  }

  /** OpenMetadata's own (1.12.6) schema's verdict, on what of the body 1.12 knows. */
  private specMessage(schema: string, body: unknown): string | null {
    if (!this.spec?.has(schema)) return null;
    return validatorMessage(this.spec.validator(schema), this.release === '2.0' ? asRelease112(schema, body) : body);
  }

  private remember(entry: ValidatedBody): void {
    if (this.keepBodies) this.accepted.push(structuredClone(entry));
    if (this.bodyLogFile) appendFileSync(this.bodyLogFile, `${JSON.stringify(entry)}\n`);
  }
}
