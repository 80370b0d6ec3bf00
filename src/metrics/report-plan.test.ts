// The plan's choice of source, as a table: every kind of report on every store layout, with and without
// a breakdown or window, and the plans a report and a time series actually make.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClickHouseDialect } from '../store/clickhouse/dialect.js';
import { DuckDbDialect } from '../store/duckdb/dialect.js';
import { isClickrateError } from '../errors.js';
import { campaignKind, chooseSource, planReport, type CampaignProfile, type ReportPlan, type Source } from './report-plan.js';
import { parseReportQuery } from './report-query.js';

const FACTS = { messageFacts: true };
const NO_FACTS = { messageFacts: false };

test('chooseSource: email reads the facts where the store keeps them, ads always the events', () => {
  const table: Array<[ReportPlan['kind'], { messageFacts: boolean }, Source]> = [
    ['email', FACTS, 'facts'],
    ['email', NO_FACTS, 'events'],
    ['ads', FACTS, 'events'],
    ['ads', NO_FACTS, 'events'],
  ];
  for (const [kind, caps, source] of table) assert.equal(chooseSource({ kind }, caps), source, `${kind}, facts ${caps.messageFacts}`);
});

test('planReport carries the choice for every breakdown and window', () => {
  const email = { sends: 3, adEvents: 0, events: 9 };
  const ads = { sends: 0, adEvents: 3, events: 3 };
  const table: Array<[{ by?: string; window?: string }, typeof email, { messageFacts: boolean }, Source]> = [
    [{}, email, FACTS, 'facts'],
    [{ by: 'variant' }, email, FACTS, 'facts'],
    [{ by: 'link', window: '7d' }, email, FACTS, 'facts'],
    [{ by: 'provider', window: '1h' }, email, FACTS, 'facts'],
    [{ by: 'day' }, email, NO_FACTS, 'events'],
    [{ window: '7d' }, email, NO_FACTS, 'events'],
    [{ by: 'ad' }, ads, FACTS, 'events'],
    [{ by: 'day', window: '7d' }, ads, NO_FACTS, 'events'],
  ];
  for (const [input, profile, caps, source] of table) {
    const plan = planReport(parseReportQuery({ campaign: 'c', ...input }), profile, caps);
    assert.equal(plan.source, source, `${JSON.stringify(input)} on ${profile.sends > 0 ? 'email' : 'ads'}, facts ${caps.messageFacts}`);
  }
});

test('what a campaign is, from its profile: sends make it email, ad events alone ads, events alone email with nothing sent', () => {
  const table: Array<[string, CampaignProfile, ReportPlan['kind'] | 'not found']> = [
    ['sent messages', { sends: 4, adEvents: 0, events: 10 }, 'email'],
    ['sent messages and stray ad events', { sends: 4, adEvents: 2, events: 12 }, 'email'],
    ['impressions and ad clicks', { sends: 0, adEvents: 7, events: 7 }, 'ads'],
    ['opens and clicks of messages never sent (orphans)', { sends: 0, adEvents: 0, events: 3 }, 'email'],
    ['no events at all', { sends: 0, adEvents: 0, events: 0 }, 'not found'],
  ];
  for (const [what, profile, expected] of table) {
    let kind: ReportPlan['kind'] | 'not found';
    try {
      kind = planReport(parseReportQuery({ campaign: 'c' }), profile, FACTS).kind;
      assert.equal(campaignKind(profile), kind, `${what}: campaignKind and the plan agree`);
    } catch (err) {
      assert.ok(isClickrateError(err) && err.code === 'CR_ERR_NOT_FOUND', `${what}: ${String(err)}`);
      kind = 'not found';
    }
    assert.equal(kind, expected, what);
  }
});

test('each engine states in its capabilities whether it keeps facts', () => {
  assert.deepEqual(new DuckDbDialect().layout.capabilities, { verdictsApart: false, messageFacts: true });
  assert.deepEqual(new DuckDbDialect(false).layout.capabilities, { verdictsApart: false, messageFacts: false });
  assert.deepEqual(new ClickHouseDialect().layout.capabilities, { verdictsApart: true, messageFacts: false });
  // The worker's proxy reports the facts as before the layout had capabilities: null without them.
  assert.equal(new DuckDbDialect(false).messageFacts('$c', true), null);
  assert.equal(new ClickHouseDialect().factsStale(), null);
  assert.notEqual(new DuckDbDialect().factsStale(), null);
});
