// The conformance cases of mail links (src/store/mail-links.ts), run on every store by
// store-conformance.ts: a link recorded again (a webhook redelivered, a message wrapped twice) reads
// back once, and erasing a recipient drops the thread-subject hashes of its messages while the
// provider Message-IDs, which name no person, stay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MailLink } from '../../src/store/mail-links.js';
import type { Store } from '../../src/store/store.js';
import { at } from './conformance-cases.js';
import { ingest } from './ingest-raw.js';

type OpenStore = () => Promise<Store>;

const link = (kind: MailLink['kind'], value: string, message: string): MailLink => ({ kind, value, message, source: 'test', at: 1 });

async function links(store: Store): Promise<string[]> {
  const rows = await store.query({ sql: 'SELECT DISTINCT kind, value, message FROM message_mail_links ORDER BY kind, value, message', params: {} });
  return rows.map((r) => `${r.kind} ${r.value} ${r.message}`);
}

export function mailLinksConformance(backend: string, open: OpenStore): void {
  test(`[${backend}] mail links read back once however often recorded; erasure drops the recipient's subject hashes only`, async () => {
    const store = await open();
    try {
      await ingest(store, [
        { type: 'sent', ts: at(0), message: 'ml-1', campaign: 'ml', recipient: 'ann@example.org' },
        { type: 'sent', ts: at(0), message: 'ml-2', campaign: 'ml', recipient: 'bob@example.org' },
      ]);
      const batch = [link('message-id', '<a.1@ismtpd-555>', 'ml-1'), link('subject', 'k1.AAAA', 'ml-1'), link('subject', 'k1.BBBB', 'ml-2')];
      await store.recordMailLinks([...batch, batch[0]!]);
      await store.recordMailLinks(batch);
      await store.recordMailLinks([]);
      assert.deepEqual(await links(store), ['message-id <a.1@ismtpd-555> ml-1', 'subject k1.AAAA ml-1', 'subject k1.BBBB ml-2']);
      const report = await store.forgetRecipient('ann@example.org');
      assert.deepEqual(
        report.erased.find((e) => e.table === 'message_mail_links'),
        { table: 'message_mail_links', what: 'thread-subject hashes of its messages dropped', rows: 1 },
      );
      assert.deepEqual(await links(store), ['message-id <a.1@ismtpd-555> ml-1', 'subject k1.BBBB ml-2']);
    } finally {
      await store.close();
    }
  });
}
