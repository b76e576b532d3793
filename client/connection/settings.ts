import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { loadClientConfigProfile, type ClientConfigProfile, type ClientConfigTLS, type ConfigDataSource } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { DEFAULT_TASK_QUEUE } from '../../worker/createWorker';

/** The connection flags, named like the `temporal` CLI's. */
export interface ConnectionFlags {
  address?: string;
  namespace?: string;
  apiKey?: string;
  tls?: boolean;
  tlsCertPath?: string;
  tlsKeyPath?: string;
  tlsCaPath?: string;
  tlsServerName?: string;
  profile?: string;
  taskQueue?: string;
}

/** A setting, for naming it (flag, variable or profile key) in messages. */
export type Setting = 'address' | 'namespace' | 'apiKey' | 'tls' | 'clientCert' | 'clientKey' | 'serverCa' | 'serverName' | 'profile';

const NAMES: Record<Setting, { flag: string; env: string[]; key: string }> = {
  address: { flag: '--address', env: ['TEMPORAL_ADDRESS'], key: 'address' },
  namespace: { flag: '--namespace', env: ['TEMPORAL_NAMESPACE'], key: 'namespace' },
  apiKey: { flag: '--api-key', env: ['TEMPORAL_API_KEY'], key: 'api_key' },
  tls: { flag: '--tls', env: ['TEMPORAL_TLS'], key: 'tls.disabled' },
  clientCert: { flag: '--tls-cert-path', env: ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'], key: 'tls.client_cert_path' },
  clientKey: { flag: '--tls-key-path', env: ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'], key: 'tls.client_key_path' },
  serverCa: { flag: '--tls-ca-path', env: ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'], key: 'tls.server_ca_cert_path' },
  serverName: { flag: '--tls-server-name', env: ['TEMPORAL_TLS_SERVER_NAME'], key: 'tls.server_name' },
  profile: { flag: '--profile', env: ['TEMPORAL_PROFILE'], key: '' },
};

const FLAG_OF: Record<Setting, keyof ConnectionFlags> = {
  address: 'address', namespace: 'namespace', apiKey: 'apiKey', tls: 'tls', clientCert: 'tlsCertPath', clientKey: 'tlsKeyPath',
  serverCa: 'tlsCaPath', serverName: 'tlsServerName', profile: 'profile',
};

/** Every way to give a setting, for a hint about one that is not set. */
export function settingNames(setting: Setting): string {
  const { flag, env, key } = NAMES[setting];
  return `${flag}, ${env[0]}${key ? ` or ${key} in a profile` : ''}`;
}

export class ConnectionSettingsError extends Error {}

export interface ConnectionSettings {
  /** host:port; null when nothing names a server (commands that can embed one then do). */
  address: string | null;
  namespace: string;
  taskQueue: string;
  apiKey: string | undefined;
  /** false: plain text. */
  tls: TLSConfig | false;
  metadata: Record<string, string> | undefined;
  /** The values that must never be printed (API key, client key contents). */
  secrets: string[];
  /** The setting as the user gave it: the flag, the variable, or the profile key and file. */
  origin(setting: Setting): string;
}

function defaultConfigFile(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') return join(env.APPDATA ?? '', 'temporalio', 'temporal.toml');
  if (process.platform === 'darwin') return join(env.HOME ?? homedir(), 'Library', 'Application Support', 'temporalio', 'temporal.toml');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.config'), 'temporalio', 'temporal.toml');
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function inProfile(profile: ClientConfigProfile, setting: Setting): boolean {
  const tls = profile.tls;
  switch (setting) {
    case 'address': return profile.address !== undefined;
    case 'namespace': return profile.namespace !== undefined;
    case 'apiKey': return profile.apiKey !== undefined;
    case 'tls': return tls?.disabled !== undefined;
    case 'clientCert': return tls?.clientCert !== undefined;
    case 'clientKey': return tls?.clientKey !== undefined;
    case 'serverCa': return tls?.serverCACert !== undefined;
    case 'serverName': return tls?.serverName !== undefined;
    default: return false;
  }
}

/** Loads the profile (file, then environment over it), turning the SDK's errors into ones naming the setting. */
function loadProfile(flags: ConnectionFlags, env: NodeJS.ProcessEnv, configFile: string, disableEnv: boolean): ClientConfigProfile {
  const explicitFile = env.TEMPORAL_CONFIG_FILE;
  try {
    if (explicitFile) readFileSync(explicitFile);
  } catch (error) {
    throw new ConnectionSettingsError(`TEMPORAL_CONFIG_FILE: cannot read ${explicitFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return loadClientConfigProfile({ profile: flags.profile || undefined, overrideEnvVars: stringEnv(env), disableEnv });
  } catch (error) {
    const message = (error as Error).message;
    const name = flags.profile ? `--profile ${flags.profile}` : `TEMPORAL_PROFILE=${env.TEMPORAL_PROFILE}`;
    if (/Profile '.*' not found/.test(message)) throw new ConnectionSettingsError(`${name}: no such profile in ${configFile}`);
    throw new ConnectionSettingsError(`Temporal profile file ${configFile}: ${message}`);
  }
}

function withFlags(tls: ClientConfigTLS | undefined, flags: ConnectionFlags): ClientConfigTLS | undefined {
  const given = flags.tls || flags.tlsCertPath || flags.tlsKeyPath || flags.tlsCaPath || flags.tlsServerName;
  if (!given) return tls;
  const out: ClientConfigTLS = { ...tls, disabled: false };
  if (flags.tlsCertPath) out.clientCert = { path: flags.tlsCertPath };
  if (flags.tlsKeyPath) out.clientKey = { path: flags.tlsKeyPath };
  if (flags.tlsCaPath) out.serverCACert = { path: flags.tlsCaPath };
  if (flags.tlsServerName) out.serverName = flags.tlsServerName;
  return out;
}

function readSource(source: ConfigDataSource | undefined, origin: string): Buffer | undefined {
  if (!source) return undefined;
  if (!('path' in source)) return Buffer.from(source.data);
  try {
    return readFileSync(source.path);
  } catch (error) {
    throw new ConnectionSettingsError(`${origin}: cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * The Temporal connection settings, as the `temporal` CLI and the SDKs resolve them: flags win over the
 * environment (TEMPORAL_ADDRESS, TEMPORAL_API_KEY, TEMPORAL_TLS_*, ...), which wins over the profile
 * (TEMPORAL_PROFILE or "default") of the TOML file (TEMPORAL_CONFIG_FILE or the user's temporalio/temporal.toml).
 */
export function resolveConnectionSettings(flags: ConnectionFlags = {}, env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const configFile = env.TEMPORAL_CONFIG_FILE || defaultConfigFile(env);
  const fileOnly = loadProfile(flags, env, configFile, true);
  const merged = loadProfile(flags, env, configFile, false);
  const profileName = flags.profile || env.TEMPORAL_PROFILE || 'default';
  const origin = (setting: Setting): string => {
    const { flag, env: variables, key } = NAMES[setting];
    const value = flags[FLAG_OF[setting]];
    if (value !== undefined && value !== false) return flag;
    const variable = variables.find((name) => env[name] !== undefined);
    if (variable) return variable;
    if (inProfile(fileOnly, setting)) return `${key} of profile "${profileName}" in ${configFile}`;
    return settingNames(setting);
  };

  const apiKey = flags.apiKey || merged.apiKey || undefined;
  const tlsSource = withFlags(merged.tls, flags);
  let tls: TLSConfig | false;
  if (tlsSource?.disabled) tls = false;
  else if (tlsSource) {
    if (Boolean(tlsSource.clientCert) !== Boolean(tlsSource.clientKey)) {
      const [given, missing]: Setting[] = tlsSource.clientCert ? ['clientCert', 'clientKey'] : ['clientKey', 'clientCert'];
      throw new ConnectionSettingsError(`${origin(given)} needs the other half of the pair too: ${settingNames(missing)}`);
    }
    const crt = readSource(tlsSource.clientCert, origin('clientCert'));
    const key = readSource(tlsSource.clientKey, origin('clientKey'));
    tls = {
      serverNameOverride: tlsSource.serverName,
      serverRootCACertificate: readSource(tlsSource.serverCACert, origin('serverCa')),
      clientCertPair: crt && key ? { crt, key } : undefined,
    };
  } else tls = apiKey ? {} : false; // an API key goes over TLS unless TLS is turned off explicitly

  const address = flags.address || merged.address || null;
  if (address && !/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(address)) {
    throw new ConnectionSettingsError(`${origin('address')}: "${address}" is not host:port (e.g. my-ns.a1b2c.tmprl.cloud:7233)`);
  }
  const secrets = [apiKey, tls && tls.clientCertPair ? Buffer.from(tls.clientCertPair.key).toString('utf8') : undefined]
    .filter((s): s is string => Boolean(s));
  return {
    address,
    namespace: flags.namespace || merged.namespace || 'default',
    taskQueue: flags.taskQueue || env.HEXMETA_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    apiKey,
    tls,
    metadata: merged.grpcMeta,
    secrets,
    origin,
  };
}

/** The settings in words, without any secret: "host:port (namespace ns, mTLS, API key)". */
export function describeConnection(settings: ConnectionSettings): string {
  const security = settings.tls === false ? 'plain text' : settings.tls.clientCertPair ? 'mTLS' : 'TLS';
  return `${settings.address ?? 'embedded'} (namespace ${settings.namespace}, ${security}${settings.apiKey ? ', API key' : ''})`;
}
