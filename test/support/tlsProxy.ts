import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './temporal';

/** PEM files made with openssl: a CA, a server certificate for 127.0.0.1/localhost, and client certificates. */
export interface TestCertificates {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** Signed by the CA: the proxy accepts it. */
  clientCert: string;
  clientKey: string;
  /** Signed by another CA: the proxy refuses it. */
  strangerCert: string;
  strangerKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-keyout', `${name}.key`, '-out', `${name}.crt`]);
}

function makeSigned(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'stranger-ca');
  makeSigned(dir, 'server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  makeSigned(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  makeSigned(dir, 'stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    caCert: file('ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key'),
    clientCert: file('client.crt'), clientKey: file('client.key'),
    strangerCert: file('stranger.crt'), strangerKey: file('stranger.key'),
  };
}

export function nginxBinary(): string {
  for (const candidate of [process.env.HEXMETA_TEST_NGINX_BIN, '/usr/sbin/nginx', ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'nginx'))]) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('nginx is needed for the TLS tests (npm test installs it)');
}

export interface ProxyOptions {
  /** The plain-text Temporal frontend behind the proxy. */
  upstream: string;
  certificates: TestCertificates;
  /** Ask for a client certificate signed by the CA. */
  mutualTls?: boolean;
  /** Answer UNAUTHENTICATED unless `authorization: Bearer <apiKey>` comes with the request. */
  apiKey?: string;
}

export interface TlsProxy {
  /** 127.0.0.1:<port> */
  address: string;
  /** The proxy's error log, for failing assertions. */
  log(): string;
  stop(): Promise<void>;
}

function nginxConfig(dir: string, port: number, options: ProxyOptions): string {
  const { certificates: c } = options;
  const apiKeyCheck = options.apiKey
    ? `      if ($http_authorization != "Bearer ${options.apiKey}") { return 418; }\n      error_page 418 = @unauthenticated;\n`
    : '';
  return `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${c.serverCert};
    ssl_certificate_key ${c.serverKey};
${options.mutualTls ? `    ssl_client_certificate ${c.caCert};\n    ssl_verify_client on;\n` : ''}    client_max_body_size 0;
    location / {
${apiKeyCheck}      grpc_read_timeout 300s;
      grpc_send_timeout 300s;
      grpc_pass grpc://${options.upstream};
    }
    location @unauthenticated {
      default_type application/grpc;
      add_header grpc-status 16 always;
      add_header grpc-message "invalid API key" always;
      return 200;
    }
  }
}
`;
}

function listening(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), host, () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Debian's nginx as a TLS-terminating gRPC proxy in front of `upstream`, in a folder of its own. */
export async function startTlsProxy(options: ProxyOptions): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'hexmeta-nginx-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, port, options));
  const child: ChildProcess = spawn(nginxBinary(), ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const address = `127.0.0.1:${port}`;
  const log = () => { try { return readFileSync(join(dir, 'error.log'), 'utf8'); } catch { return ''; } };
  const deadline = Date.now() + 10_000;
  while (!(await listening(address))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${stderr}${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    address,
    log,
    stop: () => new Promise((resolve) => {
      const done = () => { rmSync(dir, { recursive: true, force: true }); resolve(); };
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGQUIT');
    }),
  };
}
