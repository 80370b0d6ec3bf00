// How a store's tables are read (the other half of the dialect seam: SqlDialect says how SQL is spelled,
// this says where the events, their verdicts and the per-message facts are and how to reach them). The
// base is the plain layout: one `events` table with the verdict columns beside each event, no facts.
// Each engine overrides only what its layout changes; what it can do is data, in `capabilities`.
import { ClickrateError } from '../errors.js';
import { CLAIM_TYPES, IS_CLAIM_TYPE, sqlList } from './message-grain.js';

/** Which verdict columns a reader of StoreLayout.events() reads (see there). */
export type Verdicts = boolean | 'machine';

/** What a store's layout offers, as data the report plan decides on (metrics/report-plan.ts, chooseSource). */
export interface LayoutCapabilities {
  /**
   * Verdicts are stored apart from events and joined in by events(): compilers then read without
   * verdicts where none are needed. False: verdicts are event columns and one scan serves all.
   */
  readonly verdictsApart: boolean;
  /** The store keeps per-message facts that reports may read (messageFacts, factsStale). */
  readonly messageFacts: boolean;
}

export class StoreLayout {
  readonly capabilities: LayoutCapabilities = { verdictsApart: false, messageFacts: false };

  /**
   * A FROM item (the caller adds `AS alias`): the stored events meeting `where` (a condition on the
   * event columns only), each with its current verdict columns machine, reasons and classifier_version
   * — unless `verdicts` is false, when the caller promises not to read them (layouts that keep verdicts
   * apart then skip the join), or 'machine', when it reads only machine and the reasons of machine
   * events (a report; layouts that keep verdicts apart then join the machine verdicts alone). `campaign`
   * (a bound placeholder), when given, is a campaign every selected event belongs to (names it, or is of
   * a message it sent): layouts that sort verdicts by campaign then read that campaign's verdicts only.
   */
  events(where: string, _verdicts: Verdicts = true, _campaign?: string): string {
    return `(SELECT * FROM events WHERE ${where})`;
  }

  /**
   * A condition on event columns: the event names the campaign (`campaign` is a bound placeholder).
   * Layouts that sort by campaign add a key-range condition that selects the same events.
   */
  campaignNamed(campaign: string): string {
    return `campaign = ${campaign}`;
  }

  /**
   * A subquery of `message`: the events naming the campaign that may be orphans (not sends, with a
   * message), given `own`, a FROM item of the events naming it (message, type). Layouts that recorded at
   * ingest which events already had a send narrow it to the others.
   */
  orphanCandidates(own: string, _campaign: string): string {
    return `SELECT message FROM ${own} AS o WHERE message IS NOT NULL AND type NOT IN (${sqlList(CLAIM_TYPES)})`;
  }

  /** A condition on events: the event's message is one of those of `messages`, a subquery of non-null messages. */
  messageIn(messages: string): string {
    return `message IN (${messages})`;
  }

  /**
   * A FROM item: every event of the messages a campaign sent (SPEC.md: a message belongs to the campaign
   * its sent or delivered event names), with verdict columns. `campaign` is a bound placeholder.
   */
  campaignMessageEvents(campaign: string, verdicts: Verdicts = true): string {
    return this.events(`message IN (SELECT message FROM events WHERE campaign = ${campaign} AND message IS NOT NULL AND ${IS_CLAIM_TYPE})`, verdicts, campaign);
  }

  /**
   * A FROM item: the campaign's per-message facts, up to date (see src/store/duckdb/message-facts.ts for
   * the columns: send time, bounce flag, labels and engagement events as lists). `campaign` is a bound
   * placeholder; `stale` false promises that factsStale() was false just before, so no fact needs
   * building. Only for layouts whose capabilities say they keep facts.
   */
  messageFacts(_campaign: string, _stale: boolean): string {
    throw new ClickrateError('CR_ERR_STORE', 'this store keeps no per-message facts');
  }

  /** A boolean SQL expression: some stored facts are out of date. Only where messageFacts is. */
  factsStale(): string {
    throw new ClickrateError('CR_ERR_STORE', 'this store keeps no per-message facts');
  }
}
