// Keeps stored verdicts current: every message with an event not yet classified by this
// CLASSIFIER_VERSION is classified again as a whole (a later delivery or burst click can change earlier
// verdicts). Runs after ingest and on `clickrate classify`; the store's VerdictPass moves the data.
import type { Store, VerdictChunk, VerdictEvent, VerdictGroup, VerdictRow } from '../store/store.js';
import { classifyAdEvent, classifyMessage, type ClassifiableEvent, type ClassifyData } from './classify.js';
import type { Verdict } from './reasons.js';
import { CLASSIFIER_VERSION, DEFAULT_CLASSIFIER_CONFIG, type ClassifierConfig } from './config.js';
import { honeypotMemoryOf } from './honeypot-hits.js';
import { sharedClientMemoryOf } from './shared-client-hits.js';
import { defaultRangeTable, type IpRangeTable } from './ip-ranges.js';

export interface ReclassifyResult {
  /** Events of the classified messages, and stale events without a message: each given a verdict or marked done. */
  events: number;
  /** Opens and clicks among them, given a verdict. */
  verdicts: number;
  /** Opens and clicks judged machine. */
  machine: number;
  ms: number;
}

export interface ReclassifyOptions {
  /** Every event, not only stale ones (after a change of thresholds or ranges). */
  all?: boolean;
  /** Opens and clicks classified so far, of all the pass will classify. */
  onProgress?: (done: number, total: number) => void;
  /**
   * How old the memories read across messages (honeypot hits, shared clients) may be, ms. Default 0: read
   * afresh, so every verdict equals classifyEvents over the store. The server's loop, which passes every
   * second, reads them at most once a minute (each is a scan of the store's clicks).
   */
  memoryMaxAgeMs?: number;
  /**
   * Epoch ms: read only clicks since then for the shared-client memory (the server's loop, whose stale
   * events arrived just now). Absent: every click. A full pass (`all`) always reads every click.
   */
  sharedClientsSince?: number;
  /** Smaller pieces than the defaults (tests): see VerdictPassOptions. */
  chunkEvents?: number;
  sliceRows?: number;
}

/**
 * Verdicts for groups of a chunk, exactly as classifyEvents gives them over all of their messages' events:
 * stand-ins for the message's earliest delivered and sent events (all the classifier reads of them), and
 * events without a message judged alone.
 */
export function classifyGroups(
  groups: readonly VerdictGroup[],
  config: ClassifierConfig = DEFAULT_CLASSIFIER_CONFIG,
  ranges: IpRangeTable = defaultRangeTable(),
  data: ClassifyData = {},
): { rows: VerdictRow[]; machine: number } {
  const rows: VerdictRow[] = [];
  let machine = 0;
  const add = (e: VerdictEvent, v: Verdict) => {
    if (v.machine) machine++;
    rows.push({ id: e.id, loc: e.loc, machine: v.machine, reasons: JSON.stringify(v.reasons) });
  };
  for (const g of groups) {
    if (!g.message) {
      for (const e of g.events) add(e, classifyAdEvent(e, config, ranges, data));
      continue;
    }
    const events: ClassifiableEvent[] = g.events.slice();
    // Not opens or clicks, so they get no verdict of their own.
    if (g.delivered !== null) events.push({ id: '', type: 'delivered', ts: g.delivered });
    if (g.sent !== null) events.push({ id: '', type: 'sent', ts: g.sent });
    const verdicts = classifyMessage(events, config, ranges, data);
    for (const e of g.events) {
      const v = verdicts.get(e.id);
      if (v) add(e, v);
    }
  }
  return { rows, machine };
}

/** Classifies everything stale; with `all`, every stored event (after a change of thresholds or ranges). */
export async function reclassify(store: Store, opts: ReclassifyOptions = {}): Promise<ReclassifyResult> {
  const started = performance.now();
  const result: ReclassifyResult = { events: 0, verdicts: 0, machine: 0, ms: 0 };
  // TRICKY: read before the pass, so every message is judged with the same memories. A hit (or pool
  // click) stored later changes only the verdicts of messages classified after it; `classify --all`
  // brings older verdicts in line. A full pass (`all`) reads the store afresh.
  const maxAgeMs = opts.all ? 0 : (opts.memoryMaxAgeMs ?? 0);
  const data: ClassifyData = {
    honeypots: await honeypotMemoryOf(store, DEFAULT_CLASSIFIER_CONFIG.honeypotTtlMs, maxAgeMs),
    sharedClients: await sharedClientMemoryOf(store, DEFAULT_CLASSIFIER_CONFIG, maxAgeMs, opts.all ? null : (opts.sharedClientsSince ?? null)),
  };
  const pass = await store.beginVerdictPass({ version: CLASSIFIER_VERSION, all: opts.all ?? false, chunkEvents: opts.chunkEvents, sliceRows: opts.sliceRows });
  const ranges = defaultRangeTable();
  let reading: Promise<VerdictChunk | null> | null = null;
  try {
    reading = pass.next();
    for (;;) {
      const chunk: VerdictChunk | null = await reading;
      reading = null;
      if (!chunk) break;
      // The store reads the next chunk (its engine's threads, or the server) while JavaScript classifies
      // this one; the store may also be sending earlier verdicts meanwhile.
      reading = pass.next();
      reading.catch(() => undefined);
      for (const groups of chunk.batches()) {
        const { rows, machine } = classifyGroups(groups, DEFAULT_CLASSIFIER_CONFIG, ranges, data);
        await pass.write(rows);
        result.machine += machine;
        result.verdicts += rows.length;
      }
      opts.onProgress?.(result.verdicts, pass.pending);
    }
    await pass.finish();
    result.events = pass.events;
  } catch (err) {
    // TRICKY: a read still running when the pass closes would run on a closed connection.
    await settle(reading);
    await pass.close();
    throw err;
  }
  result.ms = performance.now() - started;
  return result;
}

async function settle(p: Promise<unknown> | null): Promise<void> {
  if (p) await p.catch(() => undefined);
}
