// The shape of an event as the classifier reads it (ParsedEvent and ClickrateEvent with an id fit as
// they are), apart so the signal modules and classify.ts share it without importing each other.
import type { EventType } from '../events/event.js';

/** What the classifier reads of an event: ParsedEvent/ClickrateEvent with an id fit as they are. */
export interface ClassifiableEvent {
  id: string;
  type: EventType;
  /** Epoch ms. */
  ts: number;
  url?: string | null;
  /** Client address as the tracking edge saw it; null when unknown (imported provider data). */
  ip?: string | null;
  /** null: not recorded; '' : the request had no User-Agent header. */
  user_agent?: string | null;
  method?: 'GET' | 'HEAD' | null;
  /** The provider's own machine flag from its webhook (e.g. SendGrid `sg_machine_open`), when it has one. */
  machine_flag?: boolean | null;
}
