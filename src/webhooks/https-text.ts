// Fetching a small text over HTTPS only (SNS signing certificates, SNS subscription confirmations), with
// a size limit and a timeout, so a slow or huge answer cannot hold a webhook request.
import { get } from 'node:https';
import { ClickrateError } from '../errors.js';

export interface HttpsTextOptions {
  /** Extra trusted CA certificates (tests serve on loopback with their own). */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
}

/** GETs `url` (https only) and resolves with its body when the answer is 200; rejects otherwise. */
export function fetchHttpsText(url: URL, opts: HttpsTextOptions = {}): Promise<string> {
  const maxBytes = opts.maxBytes ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    if (url.protocol !== 'https:') return reject(new ClickrateError('CR_ERR_BAD_INPUT', `only https is fetched, not ${url.protocol}`));
    const req = get(url, { ca: opts.ca, timeout: opts.timeoutMs ?? 5000 }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new ClickrateError('CR_ERR_BAD_INPUT', `${url.host} answered ${res.statusCode}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy(new ClickrateError('CR_ERR_TOO_LARGE', `${url.host} answered more than ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new ClickrateError('CR_ERR_BAD_INPUT', `${url.host} did not answer in time`)));
    req.on('error', reject);
  });
}
