// The sequence's answers read into a ClickHouse store: the same per-step figures as on DuckDB, and a
// classification pass over everything leaves the mail's verdicts as they were.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { explainMessage } from '../classify/explain-message.js';
import { reclassify } from '../classify/reclassify.js';
import { ingestEvents } from '../ingest/ingest-events.js';
import type { EmailGroup } from '../metrics/report-types.js';
import { runReport } from '../metrics/run-report.js';
import { openClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import type { Store } from '../store/store.js';
import { useLocalClickHouse } from '../../test/support/clickhouse.js';
import { coldSends, fixtureKeyring, fixtureMails, REPLY_FIXTURES, STEP_FIGURES } from '../../test/support/reply-campaign.js';
import { readMailboxFiles } from './read-mailbox-files.js';
import { recordAll } from './record-replies.js';

const local = useLocalClickHouse();

const stepFigures = async (store: Store) => {
  const report = await runReport(store, { campaign: 'cold', by: 'step' });
  const keys = Object.keys(STEP_FIGURES[0] ?? {});
  return report.kind === 'email' ? (report.groups as EmailGroup[]).map((g) => Object.fromEntries(keys.map((k) => [k, g[k as keyof EmailGroup]]))) : [];
};

test('[clickhouse] replies read from files give the per-step figures, and keep their verdicts through a full pass', async () => {
  const store = await openClickHouseStore(local.server.url('replies'));
  try {
    await ingestEvents(store, coldSends());
    const paths = fixtureMails().map((m) => join(REPLY_FIXTURES, m.name));
    await recordAll(store, readMailboxFiles(paths), { keyring: fixtureKeyring() }, () => undefined);
    assert.deepEqual(await stepFigures(store), STEP_FIGURES);
    await reclassify(store, { all: true });
    assert.deepEqual(await stepFigures(store), STEP_FIGURES);
    const reply = (await explainMessage(store, 's1-fay')).events.find((e) => e.type === 'reply');
    assert.equal(reply?.verdict, 'opt_out');
  } finally {
    await store.close();
  }
});
