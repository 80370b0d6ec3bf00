// A file made before the auto-reply and opt-out lists (schema version 8, with per-message facts built):
// opening it migrates and rebuilds the facts, so its reports count people's replies only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLASSIFIER_VERSION } from '../../classify/config.js';
import { reclassify } from '../../classify/reclassify.js';
import { ingestEvents } from '../../ingest/ingest-events.js';
import { runReport } from '../../metrics/run-report.js';
import { openDuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'clickrate-facts-upgrade-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a version-8 file with facts opens, migrates and reports auto-replies apart', async () => {
  const path = join(dir, 'v8.duckdb');
  let store = await openDuckDbStore(path);
  await ingestEvents(store, [
    { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'a', campaign: 'c', recipient: 'a@x.example' },
    { type: 'sent', ts: '2026-03-01T09:00:00Z', message: 'b', campaign: 'c', recipient: 'b@x.example' },
    { id: 'r-a', type: 'reply', ts: '2026-03-01T10:00:00Z', message: 'a' },
    { id: 'r-b', type: 'reply', ts: '2026-03-01T10:00:00Z', message: 'b' },
  ]);
  await store.writeVerdicts([{ id: 'r-b', machine: true, reasons: '["auto-submitted:auto-replied"]' }], CLASSIFIER_VERSION);
  await reclassify(store); // ends with a refresh: the facts are stored
  // Back to version 8 (before migrations 9 and 10), as an older build left it: the facts as it built them (every reply counted).
  await store.query({ sql: 'DROP TABLE message_facts', params: {} });
  const { FACTS_DDL } = await import('./message-facts.js');
  await store.query({ sql: FACTS_DDL[0] ?? '', params: {} });
  await store.query({
    sql: `INSERT INTO message_facts (campaign, message, send_ts, is_bounced, step, variant, segment, domain, h_opens, m_opens, h_clicks, m_clicks,
      replies, unsubscribes, complaints, conversions, h_open_n, m_open_n, h_click_n, m_click_n, reply_n, unsubscribe_n, complaint_n, conversion_n, revenue, links)
      SELECT 'c', m, 0, 0, NULL, NULL, NULL, 'x.example', [], [], [], [], [1], [], [], [], 0, 0, 0, 0, 1, 0, 0, 0, 0, [] FROM (VALUES ('a'), ('b')) AS t(m)`,
    params: {},
  });
  await store.query({ sql: 'UPDATE message_facts_state SET through = (SELECT max(ingested_at) FROM events)', params: {} });
  await store.query({ sql: 'DROP TABLE message_mail_links', params: {} });
  await store.query({ sql: 'DELETE FROM schema_migrations WHERE version >= 9', params: {} });
  await store.close();

  store = await openDuckDbStore(path);
  try {
    const report = await runReport(store, { campaign: 'c' });
    assert.equal(report.kind === 'email' && report.totals.replies, 1);
    assert.equal(report.kind === 'email' && report.totals.auto_replies, 1);
  } finally {
    await store.close();
  }
});
