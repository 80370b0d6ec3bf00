// Builds a complete event record from the fields that matter, every other field null: the edge, the
// API and tests create events this way instead of spelling out a dozen nulls each time.
import type { ClickrateEvent } from './event.js';

export type EventFields = Pick<ClickrateEvent, 'id' | 'type' | 'ts'> & Partial<Omit<ClickrateEvent, 'id' | 'type' | 'ts'>>;

export function makeEvent(f: EventFields): ClickrateEvent {
  return {
    message: null,
    campaign: null,
    recipient: null,
    step: null,
    variant: null,
    segment: null,
    ad: null,
    url: null,
    ip: null,
    user_agent: null,
    method: null,
    value: null,
    ...f,
  };
}
