// How ClickHouse's tables are read (see migrations.ts for the layout): events sorted by the campaign of
// their message (`msg_campaign`) then message, and verdicts in their own table, joined in by events().
// It keeps no per-message facts: reports group the campaign's events.
import { CLAIM_TYPES, IS_CLAIM_TYPE, sqlList } from '../message-grain.js';
import { StoreLayout, type LayoutCapabilities, type Verdicts } from '../store-layout.js';

/** The event columns as stored, without the verdict columns. */
const EVENT_COLUMNS = 'id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value';

export class ClickHouseLayout extends StoreLayout {
  override readonly capabilities: LayoutCapabilities = { verdictsApart: true, messageFacts: false };

  /**
   * Verdicts live in their own table (rewritten by reclassify, never by mutating events): the latest
   * verdict per id, by written_at, joined to the selected events. Events with none are human (machine 0)
   * and unclassified (classifier_version NULL). A verdict is stored under its event's msg_campaign
   * (migrations.ts, campaign_verdicts), so with a campaign only its key range ('' and the campaign) is read.
   */
  override events(where: string, verdicts: Verdicts = true, campaign?: string): string {
    const selected = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where}`;
    if (verdicts === false) return `(${selected})`;
    // With a campaign its key range alone selects the right side: the extra verdicts of that range (of
    // events outside `where`) find no event in the LEFT JOIN, and one evaluation of `where` is saved.
    const scope = campaign === undefined ? `id IN (SELECT id FROM events WHERE ${where})` : `msg_campaign IN ('', ${campaign})`;
    if (verdicts === 'machine') {
      // TRICKY: the report's join cost more than the rest of the report (10M events: the argMax GROUP BY
      // of the campaign's verdicts alone was twice the time of reading its events). A report reads the
      // verdicts of machine events only, so only those enter the join; an event without one reads as human
      // (machine 0, reasons '' → NULL), as when its latest verdict says human. FINAL keeps the latest row
      // of each (msg_campaign, id) by written_at (ReplacingMergeTree's version column), merging the sorted
      // key range instead of hashing every id, and WHERE filters after FINAL: a superseded machine verdict
      // cannot show through. (Never PREWHERE here: that filters before the merge.)
      return `(SELECT ${EVENT_COLUMNS}, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (${selected})
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE ${scope} AND machine = 1
      ) USING (id))`;
    }
    return `(SELECT ${EVENT_COLUMNS}, v_machine AS machine, nullIf(v_reasons, '') AS reasons, nullIf(v_version, '') AS classifier_version
      FROM (${selected})
      ANY LEFT JOIN (
        SELECT id, argMax(machine, written_at) AS v_machine, argMax(reasons, written_at) AS v_reasons,
          argMax(classifier_version, written_at) AS v_version
        FROM campaign_verdicts WHERE ${scope}
        GROUP BY id
      ) USING (id))`;
  }

  /**
   * `msg_campaign` (the sort key's first column) holds the campaign of the event's message when ingest
   * knew it, else ''. Every event naming the campaign, or of a message sent in it, sorts under the
   * campaign or under '' (see clickhouse-ingest.ts), so both ranges are read through the primary index.
   */
  override campaignNamed(campaign: string): string {
    return `msg_campaign IN ('', ${campaign}) AND campaign = ${campaign}`;
  }

  /**
   * TRICKY: ingest gives a non-send event a msg_campaign only from a stored or same-batch send of its
   * message (clickhouse-publish.ts), and events are never deleted: an event naming the campaign under the
   * campaign's own key has a send, so only those under '' can be orphans, and there are usually none.
   */
  override orphanCandidates(_own: string, campaign: string): string {
    return `SELECT message FROM events WHERE msg_campaign = '' AND campaign = ${campaign} AND message IS NOT NULL AND type NOT IN (${sqlList(CLAIM_TYPES)})`;
  }

  /**
   * On the sort key's expression, so the primary index skips every granule whose messages are not in
   * the set (sorted by message within each msg_campaign): the profile's look-up of orphans' sends no
   * longer reads the whole table (0.75 s at 10M). Equal to `message IN` since messages are never '' (the
   * event schema refuses empty labels) and the set holds no NULL.
   */
  override messageIn(messages: string): string {
    return `ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (${messages}))`;
  }

  override campaignMessageEvents(campaign: string, verdicts: Verdicts = true): string {
    return this.events(
      `msg_campaign IN ('', ${campaign}) AND message IN (SELECT message FROM events WHERE msg_campaign = ${campaign} AND campaign = ${campaign} AND message IS NOT NULL AND ${IS_CLAIM_TYPE})`,
      verdicts,
      campaign,
    );
  }
}
