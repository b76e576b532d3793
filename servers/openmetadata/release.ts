// The OpenMetadata release lines the double speaks, and what it reports as each one's version.

export type Release = '1.12' | '2.0';

/** The version `/system/version` reports for each release line. */
export const RELEASE_VERSIONS: Record<Release, string> = { '1.12': '1.12.6', '2.0': '2.0.7' };

/** `1.12`, `1.12.6`, `2.0` or `2.0.7` (any 2.x): the release line whose differences the double applies. */
export function releaseOf(version: string): Release {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`OpenMetadata version must look like 1.12.6 or 2.0.7, not ${JSON.stringify(version)}`);
  if (match[1] === '1') return '1.12';
  if (match[1] === '2') return '2.0';
  throw new Error(`the local OpenMetadata server speaks 1.12 and 2.0, not ${version}`);
}

/** The full version for a release line or version given as `1.12`, `2.0` or a full version. */
export function fullVersion(version: string): string {
  return /^\d+\.\d+$/.test(version) ? RELEASE_VERSIONS[releaseOf(version)] : version;
}
