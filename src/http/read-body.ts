// Reads a request body up to a size limit (SPEC: "size limits on every body"). Past the limit
// the request is refused with CR_ERR_TOO_LARGE before the rest is buffered.
import type { IncomingMessage } from 'node:http';
import { ClickrateError } from '../errors.js';

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return (await readBytes(req, limit)).toString('utf8');
}

/** The body as bytes, up to `limit` (a binary body: the local store calls). */
export async function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new ClickrateError('CR_ERR_TOO_LARGE', `request body of ${declared} bytes is over the ${limit}-byte limit of ${req.url ?? 'this route'}`, { limit });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      // TRICKY: stop reading, but let the response go out before the socket is torn down.
      req.unpipe();
      throw new ClickrateError('CR_ERR_TOO_LARGE', `request body is over the ${limit}-byte limit of ${req.url ?? 'this route'}`, { limit });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBody(req, limit);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ClickrateError('CR_ERR_BAD_INPUT', `the body is not valid JSON (${(err as Error).message})`);
  }
}
