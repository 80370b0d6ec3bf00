// The mails in files as they are kept on disk: one message per `.eml` file, many in an mbox file
// (messages start at lines "From " — RFC 4155), or a Maildir folder (one file per message in `cur/` and
// `new/` — maildir(5)). Mails come out one at a time, so a large mbox is never held whole.
import { createReadStream, type Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ClickrateError } from '../errors.js';
import { MAX_MAIL_BYTES } from './read-mail.js';
import type { MailItem } from './record-replies.js';

function badPath(path: string, why: string, cause?: unknown): ClickrateError {
  return new ClickrateError('CR_ERR_BAD_INPUT', `${path}: ${why}`, { path }, cause === undefined ? undefined : { cause });
}

/** A file's first bytes: an mbox starts with "From " (its first separator line). */
async function startsLikeMbox(path: string): Promise<boolean> {
  const f = await open(path, 'r');
  try {
    const head = Buffer.alloc(5);
    const { bytesRead } = await f.read(head, 0, 5, 0);
    return head.subarray(0, bytesRead).toString('latin1') === 'From ';
  } finally {
    await f.close();
  }
}

/**
 * The messages of an mbox file. TRICKY: mboxrd escapes a body line "From …" as ">From …" and mboxo
 * does too (without escaping ">From" itself); one ">" is taken off such lines, which is right for
 * mboxrd and for nearly every mboxo line (RFC 4155 §2 on the variants). A message over the size limit
 * is reported and skipped, not held.
 */
async function* mboxMails(path: string): AsyncGenerator<MailItem> {
  let lines: Buffer[] = [];
  let size = 0;
  let n = 0;
  let oversized = false;
  const flush = function* (): Generator<MailItem> {
    if (n > 0 && !oversized) yield { raw: Buffer.concat(lines), where: `${path}#${n}` };
    if (oversized) yield { raw: Buffer.alloc(0), where: `${path}#${n}`, oversized: size };
    lines = [];
    size = 0;
    oversized = false;
  };
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let nl = buf.indexOf(10);
    while (nl !== -1) {
      const line = buf.subarray(0, nl + 1);
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(10);
      if (line.subarray(0, 5).toString('latin1') === 'From ') {
        yield* flush();
        n++;
        continue;
      }
      if (n === 0) continue;
      const body = /^>+From /.test(line.subarray(0, 64).toString('latin1')) ? line.subarray(1) : line;
      size += body.length;
      if (size > MAX_MAIL_BYTES) {
        oversized = true;
        lines = [];
      } else lines.push(Buffer.from(body));
    }
    rest = Buffer.from(buf);
  }
  if (rest.length > 0 && n > 0 && !oversized) lines.push(rest);
  yield* flush();
}

async function* fileMail(path: string): AsyncGenerator<MailItem> {
  const info = await stat(path);
  if (info.size > MAX_MAIL_BYTES) {
    yield { raw: Buffer.alloc(0), where: path, oversized: info.size };
    return;
  }
  const f = await open(path, 'r');
  try {
    yield { raw: await f.readFile(), where: path, receivedAt: info.mtimeMs };
  } finally {
    await f.close();
  }
}

/** Maildir: `new/` and `cur/` hold one message each file; `tmp/` holds ones still being written. */
async function* maildirMails(dir: string): AsyncGenerator<MailItem> {
  for (const sub of ['cur', 'new']) {
    let entries: Dirent[];
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) if (e.isFile() && !e.name.startsWith('.')) yield* fileMail(join(dir, sub, e.name));
  }
}

/** Every mail in `paths`, in order; CR_ERR_BAD_INPUT names a path that is none of the three forms. */
export async function* readMailboxFiles(paths: readonly string[]): AsyncGenerator<MailItem> {
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (err) {
      throw badPath(path, 'cannot read it', err);
    }
    if (info.isDirectory()) {
      const names = await readdir(path);
      if (!names.includes('cur') && !names.includes('new')) throw badPath(path, 'a folder that is not a Maildir (no cur/ or new/ inside)');
      yield* maildirMails(path);
    } else if (await startsLikeMbox(path)) {
      yield* mboxMails(path);
    } else {
      yield* fileMail(path);
    }
  }
}
