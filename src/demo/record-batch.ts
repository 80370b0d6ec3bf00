// Turns one recipient's (or one slice of ad traffic's) generated events into time-ordered records with
// stable ids, and gathers streamed records into a whole Simulation.
import type { EventType } from '../events/event.js';
import type { SimEvent, SimRecord, Simulation, TruthLabel } from './sim-types.js';

interface Pending {
  t: number;
  seq: number;
  type: EventType;
  fields: Omit<Partial<SimEvent>, 'id' | 'type' | 'ts'>;
  truth: TruthLabel | undefined;
}

/**
 * Collects one recipient's events, then hands them out in time order with ids `${campaign}:${n}`.
 * TRICKY: ids are numbered after sorting, so within a recipient they rise with time; across recipients
 * they follow generation order (a campaign's ids are unique either way).
 */
export class RecordBatch {
  private pending: Pending[] = [];
  private seq = 0;
  constructor(
    private readonly campaign: string,
    private readonly counter: { n: number },
  ) {}

  add(t: number, type: EventType, fields: Pending['fields'], truth?: TruthLabel): void {
    this.pending.push({ t: Math.round(t), seq: this.seq++, type, fields, truth });
  }

  drain(): SimRecord[] {
    this.pending.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const out = this.pending.map((p): SimRecord => {
      const event: SimEvent = { id: `${this.campaign}:${this.counter.n++}`, type: p.type, ts: new Date(p.t).toISOString(), ...p.fields };
      return p.truth ? { event, truth: p.truth } : { event };
    });
    this.pending = [];
    this.seq = 0;
    return out;
  }
}

/** Collects a whole campaign: its events (per recipient in time order) and the truth of each open/click. */
export function collect(batches: Iterable<SimRecord[]>): Simulation {
  const events: SimEvent[] = [];
  const truth = new Map<string, TruthLabel>();
  for (const records of batches) {
    for (const r of records) {
      events.push(r.event);
      if (r.truth) truth.set(r.event.id, r.truth);
    }
  }
  return { events, truth };
}
