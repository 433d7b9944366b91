import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * The certificate the server presents: the operator's (`TLS_CERT`/`TLS_KEY`
 * paths), or a self-signed one for localhost created once in the data folder.
 */
export async function loadTls(options: { dataDir: string; certPath: string | null; keyPath: string | null }): Promise<TlsMaterial> {
  if (options.certPath && options.keyPath) {
    return { cert: readFileSync(options.certPath, 'utf8'), key: readFileSync(options.keyPath, 'utf8') };
  }
  const certFile = join(options.dataDir, 'tls-cert.pem');
  const keyFile = join(options.dataDir, 'tls-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  }
  // Loaded only to make the certificate (once per data folder): its X.509 stack is large.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ] as any,
  } as any);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private };
}
