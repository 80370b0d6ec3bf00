-- statement
SELECT toInt64(floor(ts / 86400000)) AS bucket,
      countIf(type = 'open' AND machine = 0) AS human_opens,
      countIf(type = 'open' AND machine = 1) AS machine_opens,
      countIf(type = 'click' AND machine = 0) AS human_clicks,
      countIf(type = 'click' AND machine = 1) AS machine_clicks
    FROM (SELECT message, type, ts, machine FROM (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered')))
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS e) AS ev WHERE type IN ('open', 'click')) AS e
    ALL INNER JOIN (SELECT message, send_ts, is_bounced FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg) AS m USING (message)
    WHERE is_bounced = 0 AND ts <= send_ts + {p1:Int64}
    GROUP BY bucket
    ORDER BY bucket

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  },
  "p1": {
    "value": 604800000,
    "type": "Int64"
  }
}
