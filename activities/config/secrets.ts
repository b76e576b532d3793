import { maskSecrets } from '../common/scrubber';
import { joinPath } from './env';

/** Keys whose values are credentials wherever they appear (connection configs nest them at various depths). */
const SECRET_KEYS = new Set([
  'token', 'jwtToken', 'password', 'privateKey', 'private_key', 'privateKeyPassphrase', 'secretKey',
  'awsSecretAccessKey', 'awsSessionToken', 'clientSecret', 'accessToken', 'personalAccessToken', 'apiKey',
]);

export function isSecretPath(path: string): boolean {
  const last = path.split('.').pop() ?? '';
  return SECRET_KEYS.has(last.replace(/\[\d+\]$/, ''));
}

/** Every string value at a secret path, with its path. */
export function collectSecrets(value: unknown, path = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return isSecretPath(path) && value ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => collectSecrets(item, joinPath(path, i)));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => collectSecrets(item, joinPath(path, key)));
  }
  return [];
}

/** Masks the given secrets (whole tokens) and credential-shaped text in a message. */
export function redact(text: string, secrets: readonly string[]): string {
  return maskSecrets(text, secrets);
}
