/**
 * The one secret scrubber. Every string that leaves an activity (results, failures, warnings, heartbeat
 * details, thrown errors) and every log line passes through it.
 *
 * It removes (1) every secret value this process has resolved, as written, JSON-escaped and URL-encoded, but
 * only as a whole token: a secret never masks part of a longer word (`demo` leaves `hex_demo` alone); and
 * (2) anything shaped like a credential whoever it belongs to: `Bearer <token>`, `Basic <base64>` and JWTs.
 */
export const REDACTED = '***';

/**
 * Values shorter than this are never masked: they would hit ordinary words. Configuration secrets shorter
 * than MIN_SECRET_LENGTH are refused at validation, so only values read elsewhere can be this short.
 */
const MIN_MASKABLE_LENGTH = 4;
/** The shortest secret a workflow file may hold (see config validation). */
export const MIN_SECRET_LENGTH = 8;

const WORD = /[A-Za-z0-9_]/;
/**
 * Before a secret that starts with a word character: no word character, unless that character ends an
 * escape (`%3D`, `\n`, `\u0041`), which is not part of the text's own token. A dot between word characters
 * joins a token too (`1.12.6`, host names).
 */
const START = '(?<![A-Za-z0-9_]\\.)(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrtbf])|(?<=\\\\u[0-9A-Fa-f]{4}))';
const END = '(?![A-Za-z0-9_]|\\.[A-Za-z0-9_])';

/**
 * Credential shapes, whoever they belong to. The credential after `Bearer`/`Basic` is an RFC 7235 token68;
 * a word of lowercase letters only is prose ("Basic authentication", "Bearer token"), never a credential.
 */
const PROSE_NOT_CREDENTIAL = '(?!realm=)(?![a-z]+(?![A-Za-z0-9_~+/=-]|\\.[A-Za-z0-9_~+/-]))(?!\\*\\*\\*)';
const CREDENTIAL_SHAPES: [RegExp, string][] = [
  [new RegExp(`\\b(Bearer|BEARER|bearer|Basic|BASIC|basic)(\\s+)${PROSE_NOT_CREDENTIAL}[A-Za-z0-9._~+/-]+=*`, 'g'), `$1$2${REDACTED}`],
  [/eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The forms a secret takes in text: as written, inside a JSON string, URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  return [...forms];
}

/** A regular expression matching every given secret as a whole token; null when there is none. */
export function secretPattern(secrets: Iterable<string>): RegExp | null {
  const alternatives = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_MASKABLE_LENGTH) continue;
    for (const form of formsOf(secret)) {
      const start = WORD.test(form[0]) ? START : '';
      const end = WORD.test(form[form.length - 1]) ? END : '';
      alternatives.add(`${start}${escapeRegExp(form)}${end}`);
    }
  }
  if (!alternatives.size) return null;
  // Longest first, so a secret containing another is masked whole.
  const sorted = [...alternatives].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.join('|'), 'g');
}

function maskWith(text: string, pattern: RegExp | null): string {
  let out = pattern ? text.replace(pattern, REDACTED) : text;
  for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Masks the given secrets (whole tokens only) and every credential-shaped text. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  return maskWith(text, secretPattern(secrets));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A set of secrets and the masking of text, values and errors with them. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      if (typeof value === 'string' && value.length >= MIN_MASKABLE_LENGTH && !this.secrets.has(value)) {
        this.secrets.add(value);
        changed = true;
      }
    }
    if (changed) this.pattern = secretPattern(this.secrets);
  }

  scrub(text: string): string {
    return maskWith(text, this.pattern);
  }

  /** A copy of a JSON-like value with every string scrubbed (keys included); other objects are kept as they are. */
  scrubValue<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.scrubValue(item)) as T;
    if (value instanceof Error) return this.scrubError(value) as T;
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.scrub(key)] = this.scrubValue(item);
      return out as T;
    }
    return value;
  }

  /**
   * Scrubs an error in place (message, stack, details, cause, and for chains their causes), keeping its
   * class, so retry behaviour (nonRetryable, nextRetryDelay) is unchanged.
   */
  scrubError<E>(error: E, depth = 0): E {
    if (!(error instanceof Error) || depth > 8) return error;
    const e = error as Error & { details?: unknown; cause?: unknown; problems?: unknown };
    e.message = this.scrub(e.message);
    if (typeof e.stack === 'string') e.stack = this.scrub(e.stack);
    if (e.details !== undefined && e.details !== null) {
      Object.defineProperty(e, 'details', { value: this.scrubValue(e.details), writable: true, configurable: true, enumerable: true });
    }
    if (Array.isArray(e.problems)) {
      Object.defineProperty(e, 'problems', { value: this.scrubValue(e.problems), writable: true, configurable: true, enumerable: true });
    }
    if (e.cause instanceof Error) this.scrubError(e.cause, depth + 1);
    else if (e.cause !== undefined) {
      Object.defineProperty(e, 'cause', { value: this.scrubValue(e.cause), writable: true, configurable: true, enumerable: false });
    }
    return error;
  }
}

/**
 * Every secret this process has resolved (each configuration's, warehouse passwords read from OpenMetadata).
 * Masking another configuration's secret costs nothing, so one set serves every ingestion of a worker.
 */
export const processScrubber = new SecretScrubber();

export function scrub(text: string): string {
  return processScrubber.scrub(text);
}

export function scrubValue<T>(value: T): T {
  return processScrubber.scrubValue(value);
}

export function scrubError<E>(error: E): E {
  return processScrubber.scrubError(error);
}

export function registerSecrets(values: Iterable<string>): void {
  processScrubber.add(values);
}
