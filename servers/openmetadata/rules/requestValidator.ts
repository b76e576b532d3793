// Checks request bodies with the server's own rules and, when it was given OpenMetadata's schemas, with those
// too; keeps the bodies it accepted for anyone who wants to replay them (in memory, and in the file named by
// HEXMETA_OM_BODY_LOG as one JSON line each).
import { appendFileSync } from 'node:fs';
import { validatorMessage, type OpenMetadataSpec } from '../../openMetadataSpec';
import { requestRule } from './requestRules';

export interface ValidatedBody {
  /** The rule (an OpenMetadata schema path, `jsonPatch` or `usage`) the body was checked against. */
  schema: string;
  body: unknown;
}

/** The server's own verdict on a body: null when it is accepted, else the bracketed problem list. */
export function ownRuleMessage(schema: string, body: unknown): string | null {
  return validatorMessage(requestRule(schema), body);
}

export interface RequestValidatorOptions {
  spec?: OpenMetadataSpec;
  /** Keep accepted bodies in memory (`accepted`). */
  keepBodies?: boolean;
  /** Append accepted bodies to this file, one JSON line each. */
  bodyLogFile?: string;
}

export class RequestValidator {
  readonly spec?: OpenMetadataSpec;
  readonly accepted: ValidatedBody[] = [];
  private readonly keepBodies: boolean;
  private readonly bodyLogFile?: string;

  constructor(options: RequestValidatorOptions = {}) {
    this.spec = options.spec;
    this.keepBodies = options.keepBodies ?? false;
    this.bodyLogFile = options.bodyLogFile;
  }

  /** Null when both the own rules and (when loaded) OpenMetadata's schema accept the body. */
  check(schema: string, body: unknown): string | null {
    const message = ownRuleMessage(schema, body) ?? (this.spec?.has(schema) ? validatorMessage(this.spec.validator(schema), body) : null);
    if (message === null) this.remember({ schema, body });
    return message;
  }

  private remember(entry: ValidatedBody): void {
    if (this.keepBodies) this.accepted.push(structuredClone(entry));
    if (this.bodyLogFile) appendFileSync(this.bodyLogFile, `${JSON.stringify(entry)}\n`);
  }
}
