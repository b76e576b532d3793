import { connect as tcpConnect, isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { processLog } from '../../activities/common/log';
import { redact } from '../../activities/config/secrets';
import { settingNames, type ConnectionSettings, type Setting } from './settings';

/** A Temporal server that cannot be reached with the settings given; the message names the setting to check. */
export class TemporalConnectionError extends Error {}

const PROBE_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;

const SERVER_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function buffer(data: Uint8Array | undefined): Buffer | undefined {
  return data && Buffer.from(data);
}

function hostAndPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

function fail(settings: ConnectionSettings, text: string): TemporalConnectionError {
  return new TemporalConnectionError(redact(`Cannot connect to Temporal at ${settings.address}: ${text}`, settings.secrets));
}

function clientCertHint(settings: ConnectionSettings): string {
  const tls = settings.tls;
  return tls && tls.clientCertPair
    ? `check the client certificate and key (${settings.origin('clientCert')}, ${settings.origin('clientKey')})`
    : `it may want a client certificate (${settingNames('clientCert')}; ${settingNames('clientKey')})`;
}

/** Why a TLS handshake failed, in terms of the settings. */
function explainTlsError(settings: ConnectionSettings, error: NodeJS.ErrnoException): TemporalConnectionError {
  const code = error.code ?? '';
  const serverName = settings.tls && settings.tls.serverNameOverride;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return fail(settings, `the server's certificate is not for ${serverName ?? hostAndPort(settings.address!).host} (${error.message}); `
      + `check ${serverName ? settings.origin('serverName') : settingNames('serverName')}`);
  }
  if (SERVER_CERT_CODES.has(code)) {
    const ca = settings.tls && settings.tls.serverRootCACertificate ? settings.origin('serverCa') : settingNames('serverCa');
    return fail(settings, `the server's certificate is not trusted (${error.message}); check the CA certificate (${ca})`);
  }
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|UNKNOWN_PROTOCOL|ERR_SSL_HTTP_REQUEST/i.test(`${code} ${error.message}`)) {
    return fail(settings, `the server does not speak TLS there; check the address (${settings.origin('address')}) or turn TLS off (${settingNames('tls')})`);
  }
  if (/KEY_VALUES_MISMATCH|PEM|ASN1|DECODER|BAD_BASE64|NO_START_LINE/i.test(`${code} ${error.message}`)) {
    return fail(settings, `the client certificate or key cannot be used (${error.message}); ${clientCertHint(settings)}`);
  }
  if (/ALERT|CERTIFICATE|ECONNRESET/i.test(`${code} ${error.message}`)) {
    return fail(settings, `the server refused the TLS connection (${error.message}); ${clientCertHint(settings)}`);
  }
  return fail(settings, `${error.message}; check ${settings.origin('address')}`);
}

const HTTP2_PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
const HTTP2_SETTINGS_FRAME = 0x04;

/** A plain-text gRPC server answers the HTTP/2 preface with a SETTINGS frame; a TLS port answers otherwise. */
function expectHttp2(socket: ReturnType<typeof tcpConnect>, settings: ConnectionSettings, done: (error?: TemporalConnectionError) => void): void {
  let received = Buffer.alloc(0);
  const notGrpc = () => fail(settings, `the server does not answer as plain-text gRPC; if it expects TLS, turn it on (${settingNames('tls')})`);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (received.length >= 4) done(received[3] === HTTP2_SETTINGS_FRAME ? undefined : notGrpc());
  });
  socket.once('end', () => done(notGrpc()));
  socket.write(`${HTTP2_PREFACE}\0\0\0\x04\0\0\0\0\0`);
}

/**
 * One TCP connection (with the TLS handshake when TLS is on), bounded in time. gRPC clients hide a refused
 * connection or a failed handshake behind retries until their deadline; this says at once what went wrong.
 */
function probe(settings: ConnectionSettings): Promise<void> {
  const { host, port } = hostAndPort(settings.address!);
  const tls = settings.tls;
  return new Promise((resolve, reject) => {
    let socket: ReturnType<typeof tcpConnect> | TLSSocket;
    const done = (error?: TemporalConnectionError) => {
      clearTimeout(timer);
      socket?.destroy();
      if (error) reject(error); else resolve();
    };
    const timer = setTimeout(() => done(fail(settings, `no answer within ${PROBE_TIMEOUT_MS / 1000} s; check ${settings.origin('address')}`)), PROBE_TIMEOUT_MS);
    const onError = (error: NodeJS.ErrnoException) => {
      if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(error.code ?? '')) {
        done(fail(settings, `${error.code}: nothing answers there; check ${settings.origin('address')}`));
      } else done(tls === false ? fail(settings, error.message) : explainTlsError(settings, error));
    };
    try {
      if (tls === false) {
        socket = tcpConnect(port, host, () => expectHttp2(socket, settings, done));
      } else {
        const servername = tls.serverNameOverride ?? (isIP(host) ? undefined : host);
        socket = tlsConnect({
          host, port, servername, ALPNProtocols: ['h2'],
          ca: buffer(tls.serverRootCACertificate), cert: buffer(tls.clientCertPair?.crt), key: buffer(tls.clientCertPair?.key),
        }, () => done());
      }
      socket.once('error', onError);
    } catch (error) {
      onError(error as NodeJS.ErrnoException);
    }
  });
}

/** What a failed connect means, from the gRPC status (client) or the core's message (worker). */
function explainConnectError(settings: ConnectionSettings, error: unknown): TemporalConnectionError {
  const cause = (error as { cause?: { code?: number; details?: string; message?: string } }).cause;
  const text = `${(error as Error).message ?? error} ${cause?.message ?? ''}`;
  const code = cause?.code;
  if (code === 16 || code === 7 || /valid authentication credentials|does not have permission|Request unauthorized/i.test(text)) {
    const setting: Setting | null = settings.apiKey ? 'apiKey' : settings.tls && settings.tls.clientCertPair ? 'clientCert' : null;
    const check = setting ? `check ${settings.origin(setting)}` : `set an API key (${settingNames('apiKey')}) or a client certificate (${settingNames('clientCert')})`;
    return fail(settings, `the server refused the credentials (${cause?.details ?? (error as Error).message}); ${check}`);
  }
  if (/HTTP status code 400|status: 400/.test(text)) return fail(settings, `the server refused the connection (HTTP 400); ${clientCertHint(settings)}`);
  if (/before the deadline|connection closed|operation was cancel/i.test(text)) {
    const tlsHint = settings.tls === false ? `, and whether it expects TLS (${settingNames('tls')})` : '';
    return fail(settings, `no gRPC answer; check ${settings.origin('address')}${tlsHint}`);
  }
  return fail(settings, `${cause?.message ?? (error as Error).message}`);
}

function requireAddress(settings: ConnectionSettings): string {
  if (!settings.address) {
    throw new TemporalConnectionError(`no Temporal server given: set ${settingNames('address')} (selected with ${settingNames('profile')})`);
  }
  return settings.address;
}

/** The API key and client key never reach a log line, whoever writes it. */
function guardSecrets(settings: ConnectionSettings): void {
  processLog().sink.addSecrets(settings.secrets);
}

function options(settings: ConnectionSettings) {
  return { address: requireAddress(settings), tls: settings.tls || undefined, apiKey: settings.apiKey, metadata: settings.metadata };
}

/** A client connection (for starting and querying workflows, schedules). */
export async function connectClient(settings: ConnectionSettings): Promise<Connection> {
  const connectOptions = options(settings);
  guardSecrets(settings);
  await probe(settings);
  try {
    return await Connection.connect({ ...connectOptions, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw explainConnectError(settings, error);
  }
}

/** A worker connection, from the same settings as the client's. */
export async function connectNative(settings: ConnectionSettings): Promise<NativeConnection> {
  const connectOptions = options(settings);
  guardSecrets(settings);
  await probe(settings);
  try {
    return await NativeConnection.connect(connectOptions);
  } catch (error) {
    throw explainConnectError(settings, error);
  }
}
