-- statement (parts: report_none)
SELECT '' AS key,
      count(*) AS sent,
      countIf(is_bounced = 1) AS bounced,
      countIf(is_bounced = 0) AS delivered,
      countIf(h_opens > 0 OR h_clicks > 0) AS unique_opens,
      countIf(h_opens = 0 AND h_clicks > 0) AS implied_opens,
      countIf(h_clicks > 0) AS unique_clicks,
      sum(h_clicks) AS total_clicks,
      sum(m_opens) AS machine_opens,
      sum(m_clicks) AS scanner_clicks,
      countIf(m_opens > 0 AND h_opens = 0 AND h_clicks = 0) AS privacy_hidden,
      countIf(n_replies > 0) AS replies,
      countIf(n_auto_replies > 0) AS auto_replies,
      countIf(n_opt_out_replies > 0) AS opt_out_replies,
      countIf(n_unsubscribes > 0) AS unsubscribes,
      countIf(n_complaints > 0) AS complaints,
      sum(n_conversions) AS conversions,
      sum(n_revenue) / 10000 AS revenue,
      countIf(h_opens > 0 OR m_opens > 0 OR h_clicks > 0 OR m_clicks > 0) AS raw_unique_opens,
      countIf(h_clicks > 0 OR m_clicks > 0) AS raw_unique_clicks,
      sum(h_clicks + m_clicks) AS raw_total_clicks
    FROM (SELECT message, send_ts, is_bounced, m_step, m_variant, m_segment, m_domain,
        coalesce(e_h_opens, 0) AS h_opens, coalesce(e_h_clicks, 0) AS h_clicks, coalesce(e_m_opens, 0) AS m_opens, coalesce(e_m_clicks, 0) AS m_clicks, coalesce(e_n_replies, 0) AS n_replies, coalesce(e_n_auto_replies, 0) AS n_auto_replies, coalesce(e_n_opt_out_replies, 0) AS n_opt_out_replies, coalesce(e_n_unsubscribes, 0) AS n_unsubscribes, coalesce(e_n_complaints, 0) AS n_complaints, coalesce(e_n_conversions, 0) AS n_conversions, coalesce(e_n_revenue, 0) AS n_revenue, e_first_reply_ts AS first_reply_ts
      FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg ANY LEFT JOIN (SELECT message, countIf(type = 'open' AND machine = 0) AS e_h_opens,
        countIf(type = 'click' AND machine = 0) AS e_h_clicks,
        countIf(type = 'open' AND machine = 1) AS e_m_opens,
        countIf(type = 'click' AND machine = 1) AS e_m_clicks,
        countIf(type = 'reply' AND machine = 0) AS e_n_replies,
        countIf(type = 'reply' AND machine = 1 AND coalesce(reasons, '') NOT LIKE '["opt-out%') AS e_n_auto_replies,
        countIf(type = 'reply' AND machine = 1 AND coalesce(reasons, '') LIKE '["opt-out%') AS e_n_opt_out_replies,
        countIf(type = 'unsubscribe') AS e_n_unsubscribes,
        countIf(type = 'complaint') AS e_n_complaints,
        countIf(type = 'conversion') AS e_n_conversions,
        ifNull(sumIf(if(abs(value) <= 1000000000000, toInt64(floor(value * 10000 + 0.5)), NULL), type = 'conversion'), 0) AS e_n_revenue,
        if(countIf(type = 'reply' AND machine = 0) > 0, minIf(ts, type = 'reply' AND machine = 0), NULL) AS e_first_reply_ts
      FROM (SELECT message, type, ts, machine, reasons, value FROM (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered')))
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS e) AS ev WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')) AS e
    ALL INNER JOIN (SELECT message, send_ts, is_bounced FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg) AS m USING (message)
    WHERE is_bounced = 0 AND ts <= send_ts + {p1:Int64}
      GROUP BY message) AS eng USING (message)) AS j
    GROUP BY key

-- statement (parts: links)
SELECT url AS key,
      uniqExactIf(message, machine = 0) AS unique_clicks,
      countIf(machine = 0) AS total_clicks,
      countIf(machine = 1) AS scanner_clicks,
      uniqExact(message) AS raw_unique_clicks,
      count(*) AS raw_total_clicks
    FROM (SELECT message, ts, machine, url FROM (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered')))
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS e) AS ev WHERE type IN ('click')) AS e
    ALL INNER JOIN (SELECT message, send_ts, is_bounced FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg) AS m USING (message)
    WHERE is_bounced = 0 AND ts <= send_ts + {p3:Int64}
    GROUP BY url

-- statement (parts: reply_delay_none)
SELECT '' AS key, -quantileExact(0.5)(-(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END)) / 1000 AS median_time_to_reply_s
    FROM (SELECT message, send_ts, is_bounced, m_step, m_variant, m_segment, m_domain,
        coalesce(e_h_opens, 0) AS h_opens, coalesce(e_h_clicks, 0) AS h_clicks, coalesce(e_m_opens, 0) AS m_opens, coalesce(e_m_clicks, 0) AS m_clicks, coalesce(e_n_replies, 0) AS n_replies, coalesce(e_n_auto_replies, 0) AS n_auto_replies, coalesce(e_n_opt_out_replies, 0) AS n_opt_out_replies, coalesce(e_n_unsubscribes, 0) AS n_unsubscribes, coalesce(e_n_complaints, 0) AS n_complaints, coalesce(e_n_conversions, 0) AS n_conversions, coalesce(e_n_revenue, 0) AS n_revenue, e_first_reply_ts AS first_reply_ts
      FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg ANY LEFT JOIN (SELECT message, countIf(type = 'open' AND machine = 0) AS e_h_opens,
        countIf(type = 'click' AND machine = 0) AS e_h_clicks,
        countIf(type = 'open' AND machine = 1) AS e_m_opens,
        countIf(type = 'click' AND machine = 1) AS e_m_clicks,
        countIf(type = 'reply' AND machine = 0) AS e_n_replies,
        countIf(type = 'reply' AND machine = 1 AND coalesce(reasons, '') NOT LIKE '["opt-out%') AS e_n_auto_replies,
        countIf(type = 'reply' AND machine = 1 AND coalesce(reasons, '') LIKE '["opt-out%') AS e_n_opt_out_replies,
        countIf(type = 'unsubscribe') AS e_n_unsubscribes,
        countIf(type = 'complaint') AS e_n_complaints,
        countIf(type = 'conversion') AS e_n_conversions,
        ifNull(sumIf(if(abs(value) <= 1000000000000, toInt64(floor(value * 10000 + 0.5)), NULL), type = 'conversion'), 0) AS e_n_revenue,
        if(countIf(type = 'reply' AND machine = 0) > 0, minIf(ts, type = 'reply' AND machine = 0), NULL) AS e_first_reply_ts
      FROM (SELECT message, type, ts, machine, reasons, value FROM (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered')))
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS e) AS ev WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')) AS e
    ALL INNER JOIN (SELECT message, send_ts, is_bounced FROM (SELECT message, coalesce(if(countIf(type = 'sent') > 0, minIf(ts, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, minIf(ts, type = 'delivered'), NULL)) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(step, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(step, type = 'delivered'), NULL)) AS m_step,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(variant, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(variant, type = 'delivered'), NULL)) AS m_variant,
        coalesce(if(countIf(type = 'sent') > 0, anyIf(segment, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(segment, type = 'delivered'), NULL)) AS m_segment,
        lower(if(position(ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''), '@') > 0, splitByChar('@', ifNull(coalesce(if(countIf(type = 'sent') > 0, anyIf(recipient, type = 'sent'), NULL), if(countIf(type = 'delivered') > 0, anyIf(recipient, type = 'delivered'), NULL)), ''))[2], '')) AS m_domain
      FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND message IN (SELECT message FROM events WHERE msg_campaign = {p0:String} AND campaign = {p0:String} AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL)))) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> {p0:String}) AND (type <> 'sent' OR campaign = {p0:String})) AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message) AS msg) AS m USING (message)
    WHERE is_bounced = 0 AND ts <= send_ts + {p4:Int64}
      GROUP BY message) AS eng USING (message)) AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0

-- statement (parts: reasons)
SELECT type, reasons, count(*) AS n
    FROM (SELECT message, type, ts, machine, reasons FROM (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
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
    WHERE is_bounced = 0 AND ts <= send_ts + {p6:Int64} AND machine = 1
    GROUP BY type, reasons

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  },
  "p1": {
    "value": 604800000,
    "type": "Int64"
  },
  "p2": {
    "value": 604800000,
    "type": "Int64"
  },
  "p3": {
    "value": 604800000,
    "type": "Int64"
  },
  "p4": {
    "value": 604800000,
    "type": "Int64"
  },
  "p5": {
    "value": 604800000,
    "type": "Int64"
  },
  "p6": {
    "value": 604800000,
    "type": "Int64"
  }
}
