// The shared conformance suite: every store backend runs the same metric cases and ingest guarantees
// through the public pipeline (ingest → runReport), so two backends can only agree or fail loudly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASSIFIER_VERSION } from '../../src/classify/config.js';
import { listCampaigns } from '../../src/metrics/list-campaigns.js';
import { runReport, runReports } from '../../src/metrics/run-report.js';
import { METRIC_CASES, at, on, range, sends, type RawEvent } from './conformance-cases.js';
import type { Store } from '../../src/store/store.js';
import { ingest, toIngest } from './ingest-raw.js';
import { mailLinksConformance } from './mail-links-conformance.js';
import { ownershipConformance } from './ownership-conformance.js';

export type OpenStore = () => Promise<Store>;

function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected));
  return false;
}

export function storeConformanceSuite(backend: string, open: OpenStore): void {
  for (const c of METRIC_CASES) {
    test(`[${backend}] ${c.name}`, async () => {
      const store = await open();
      try {
        await ingest(store, c.events);
        if (c.verdicts)
          await store.writeVerdicts(
            c.verdicts.map((v) => ({ id: v.id, machine: v.machine, reasons: JSON.stringify(v.reasons) })),
            CLASSIFIER_VERSION,
          );
        const report = await runReport(store, c.query);
        for (const [path, expected] of Object.entries(c.expect)) {
          const actual = get(report, path);
          if (close(actual, expected)) continue;
          assert.deepEqual(actual, expected, `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
        }
        // Every campaign the list shows reports, as the kind the list says.
        for (const listed of await listCampaigns(store)) {
          assert.equal((await runReport(store, { campaign: listed.campaign })).kind, listed.kind, `campaign '${listed.campaign}' in the list`);
        }
      } finally {
        await store.close();
      }
    });
  }

  test(`[${backend}] re-delivering a batch changes nothing; identical id-less events in one batch are all kept`, async () => {
    const store = await open();
    try {
      const batch: RawEvent[] = [
        ...sends(3, 'idem'),
        { type: 'click', ts: at(5), message: 'm0', url: 'https://a.example.com/' },
        { type: 'click', ts: at(5), message: 'm0', url: 'https://a.example.com/' },
        { type: 'click', ts: at(6), message: 'm1', url: 'https://a.example.com/', id: 'c-1' },
        { type: 'click', ts: at(6), message: 'm1', url: 'https://a.example.com/', id: 'c-1' },
      ];
      const first = await ingest(store, batch);
      assert.deepEqual(first, { received: 7, inserted: 6, duplicates: 1 });
      const before = await runReport(store, { campaign: 'idem' });
      const second = await ingest(store, batch);
      assert.deepEqual(second, { received: 7, inserted: 0, duplicates: 7 });
      const after = await runReport(store, { campaign: 'idem' });
      assert.deepEqual(after, before);
      assert.equal(after.kind === 'email' && after.totals.total_clicks, 3);
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] breakdowns computed together (a dashboard page) equal each report computed alone`, async () => {
    const store = await open();
    try {
      const steps = (i: number): RawEvent => ({ step: 1 + (i % 2), variant: i % 3 === 0 ? 'B' : 'A', ...(i % 4 === 0 ? { segment: 'vip' } : {}) });
      await ingest(store, [
        ...sends(30, 'page', 'm', steps),
        ...on('bounced', [0, 1]),
        ...on('open', range(0, 20), 'm', 30),
        ...on('open', range(0, 10), 'm', 60 * 24 * 9),
        ...on('click', range(0, 12), 'm', 40, { url: 'https://a.example.com/' }),
        ...on('click', range(5, 9), 'm', 41, { url: 'https://b.example.com/x?y=1' }),
        ...on('click', range(10, 14), 'm', 60 * 24 * 8, { url: 'https://b.example.com/x?y=1' }),
        ...on('reply', [3, 4, 25]),
        { type: 'conversion', ts: at(90), message: 'm6', value: 19.9 },
      ]);
      const groupings = [null, 'day', 'step', 'variant', 'link', 'segment', 'provider'];
      for (const window of [undefined, '7d']) {
        const together = await runReports(store, { campaign: 'page', window }, groupings);
        for (const [i, by] of groupings.entries()) {
          assert.deepEqual(together[i], await runReport(store, { campaign: 'page', by, window }), `by ${by} window ${window}`);
        }
      }
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] an aborted ingest leaves the store as it was`, async () => {
    const store = await open();
    try {
      await ingest(store, sends(5, 'ab-keep'));
      const session = await store.beginIngest();
      await session.append(toIngest(sends(7, 'ab-lost', 'x')));
      await session.abort();
      const kept = await runReport(store, { campaign: 'ab-keep' });
      assert.equal(kept.kind === 'email' && kept.totals.sent, 5);
      await assert.rejects(runReport(store, { campaign: 'ab-lost' }), { code: 'CR_ERR_NOT_FOUND' });
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] unknown campaign and meaningless breakdowns are clear errors`, async () => {
    const store = await open();
    try {
      await ingest(store, [...sends(2, 'e1'), { type: 'impression', ts: at(1), campaign: 'a1', ad: 'x' }]);
      await assert.rejects(runReport(store, { campaign: 'nope' }), { code: 'CR_ERR_NOT_FOUND', message: /nope/ });
      await assert.rejects(runReport(store, { campaign: 'e1', by: 'ad' }), { code: 'CR_ERR_BAD_QUERY', message: /email campaign/ });
      await assert.rejects(runReport(store, { campaign: 'a1', by: 'variant' }), { code: 'CR_ERR_BAD_QUERY', message: /ad campaign/ });
      await assert.rejects(runReport(store, { campaign: 'e1', by: 'colour' }), { code: 'CR_ERR_BAD_QUERY', message: /colour/ });
      await assert.rejects(runReport(store, { campaign: 'e1', window: '7 days' }), { code: 'CR_ERR_BAD_QUERY' });
      await assert.rejects(runReport(store, { campaign: 'e1', by: 'variant', control: 'Z' }), { code: 'CR_ERR_BAD_QUERY', message: /Z/ });
    } finally {
      await store.close();
    }
  });

  test(`[${backend}] a revoked session stays refused until it would have expired; an expired revocation is purged`, async () => {
    const store = await open();
    try {
      const now = Date.now();
      assert.equal(await store.isSessionRevoked('s-live', now), false, 'never revoked');
      await store.revokeSession('s-live', now + 3_600_000);
      await store.revokeSession('s-live', now + 3_600_000); // a second logout with the same cookie
      await store.revokeSession('s-short', now + 1000);
      const cases: Array<[string, number, boolean]> = [
        ['s-live', now, true],
        ['s-live', now + 3_599_999, true],
        ['s-live', now + 3_600_000, false],
        ['s-short', now + 999, true],
        ['s-short', now + 1000, false],
        ['s-other', now, false],
      ];
      for (const [id, at, revoked] of cases) assert.equal(await store.isSessionRevoked(id, at), revoked, `${id} at now+${at - now} ms`);
      // One that ran out in an earlier month is gone after the next revocation (the table stays small).
      await store.revokeSession('s-2020', Date.parse('2020-01-15T00:00:00Z'));
      await store.revokeSession('s-next', now + 60_000);
      const [left] = await store.query({ sql: "SELECT count(*) AS n FROM revoked_sessions WHERE id = 's-2020'", params: {} });
      assert.equal(Number(left?.n), 0);
      assert.equal(await store.isSessionRevoked('s-live', now), true, 'purging keeps the live ones');
    } finally {
      await store.close();
    }
  });

  ownershipConformance(backend, open);
  mailLinksConformance(backend, open);
}
