// Test keys and signers for the provider webhooks, made in the test run itself: an ECDSA P-256 pair for
// SendGrid, HMAC keys for Mailgun and Svix (Resend), and for SNS (SES) an RSA key with a self-signed
// X.509 certificate made by openssl, served over real HTTPS on loopback.
import { execFileSync } from 'node:child_process';
import { createHmac, createSign, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchHttpsText } from '../../src/webhooks/https-text.js';
import type { WebhookSetupOptions } from '../../src/webhooks/webhook-config.js';

/** Node's crypto cannot make an X.509 certificate; openssl (installed with every Debian) can. */
const OPENSSL = process.env.OPENSSL ?? 'openssl';

export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

export function sendgridKeys(): { publicKey: string; sign: (timestamp: string, body: string) => string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    sign: (timestamp, body) => sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64'),
  };
}

export function mailgunSignature(key: string, timestamp = nowSeconds(), token = randomBytes(25).toString('hex')) {
  return {
    timestamp,
    token,
    signature: createHmac('sha256', key)
      .update(timestamp + token)
      .digest('hex'),
  };
}

export function svixKeys(): { secret: string; headers: (body: string, id?: string, timestamp?: string) => Record<string, string> } {
  const key = randomBytes(24);
  return {
    secret: `whsec_${key.toString('base64')}`,
    headers: (body, id = `msg_${randomBytes(8).toString('hex')}`, timestamp = nowSeconds()) => ({
      'svix-id': id,
      'svix-timestamp': timestamp,
      'svix-signature': `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
    }),
  };
}

/** An SNS signer: an RSA key and its certificate (openssl), the certificate served over HTTPS on 127.0.0.1. */
export interface SnsSigner {
  certPem: string;
  certUrl: string;
  /** Signs an SNS message (its fields as SNS sends them), adding SignatureVersion, SigningCertURL and Signature. */
  sign(msg: Record<string, string>, version?: '1' | '2'): Record<string, string>;
  /** Requests the server saw (paths), e.g. subscription confirmations. */
  seen: string[];
  close(): Promise<void>;
}

export async function snsSigner(): Promise<SnsSigner> {
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-sns-'));
  try {
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const seen: string[] = [];
    const server: Server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.endsWith('.pem')) res.end(certPem);
      else res.end('<ConfirmSubscriptionResponse/>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const certUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/SimpleNotificationService-test.pem`;
    return {
      certPem,
      certUrl,
      seen,
      sign(msg, version = '1') {
        const fields =
          msg.Type === 'Notification'
            ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
            : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
        const text = fields
          .filter((f) => msg[f] !== undefined)
          .map((f) => `${f}\n${msg[f]}\n`)
          .join('');
        const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
        signer.update(text);
        return { ...msg, SignatureVersion: version, SigningCertURL: certUrl, Signature: signer.sign(keyPem, 'base64') };
      },
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** webhookSetups' SNS options for tests: certificates fetched from the signer's HTTPS server on 127.0.0.1 only. */
export function loopbackSns(sns: SnsSigner): NonNullable<WebhookSetupOptions['sns']> {
  return { fetchText: (url) => fetchHttpsText(url, { ca: sns.certPem }), trustedUrl: (url) => url.protocol === 'https:' && url.hostname === '127.0.0.1' };
}
