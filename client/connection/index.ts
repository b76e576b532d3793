import type { Command } from 'commander';
import type { ConnectionFlags } from './settings';

export { connectClient, connectNative, TemporalConnectionError } from './connect';
export {
  ConnectionSettingsError, describeConnection, resolveConnectionSettings, settingNames, type ConnectionFlags, type ConnectionSettings,
} from './settings';

/** The `temporal` CLI's connection flags (and --task-queue unless the command has it already). */
export function addConnectionOptions(command: Command, options: { taskQueue?: boolean } = {}): Command {
  command
    .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS; default: the profile\'s)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE; default "default")')
    .option('--api-key <key>', 'API key, sent as a bearer token over TLS (env TEMPORAL_API_KEY, safer than a flag)')
    .option('--tls', 'connect with TLS (env TEMPORAL_TLS; implied by the other --tls-* flags and by an API key)')
    .option('--tls-cert-path <file>', 'client certificate for mTLS (env TEMPORAL_TLS_CLIENT_CERT_PATH)')
    .option('--tls-key-path <file>', 'client private key for mTLS (env TEMPORAL_TLS_CLIENT_KEY_PATH)')
    .option('--tls-ca-path <file>', 'CA certificate the server\'s certificate must chain to (env TEMPORAL_TLS_SERVER_CA_CERT_PATH)')
    .option('--tls-server-name <name>', 'server name to verify the certificate against (env TEMPORAL_TLS_SERVER_NAME)')
    .option('--profile <name>', 'profile of the Temporal config file (env TEMPORAL_PROFILE; file: TEMPORAL_CONFIG_FILE)');
  if (options.taskQueue) command.option('--task-queue <name>', 'Temporal task queue of the workers (env HEXMETA_TASK_QUEUE; default hexmeta)');
  return command;
}

/** The connection flags among a command's parsed options. */
export function connectionFlags(opts: ConnectionFlags): ConnectionFlags {
  const { address, namespace, apiKey, tls, tlsCertPath, tlsKeyPath, tlsCaPath, tlsServerName, profile, taskQueue } = opts;
  return { address, namespace, apiKey, tls, tlsCertPath, tlsKeyPath, tlsCaPath, tlsServerName, profile, taskQueue };
}
