import { createHash } from 'node:crypto';

/** A fixed namespace, so the same Temporal run always maps to the same OpenMetadata run id. */
const NAMESPACE = Buffer.from('6c0f2f1e9b7d4f0a8a53d0c7a1e4b2f9', 'hex');

/** A name-based (version 5, SHA-1) UUID of `runKey`: retries and resumes of one run report to one OpenMetadata run. */
export function pipelineRunIdFor(runKey: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(runKey, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
