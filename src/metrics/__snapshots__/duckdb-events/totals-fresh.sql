-- statement (parts: report_none, reply_delay_none, reasons)
WITH ev AS (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM events WHERE message IN (SELECT message FROM events WHERE campaign = $p0 AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS e),
bounced AS (SELECT DISTINCT message FROM ev AS ev WHERE type = 'bounced'),
msg AS (SELECT message, coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS m_step,
        coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS m_variant,
        coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS m_segment,
        lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS m_domain,
        count(*) FILTER (WHERE type = 'open' AND machine = false) AS e_h_opens,
        count(*) FILTER (WHERE type = 'click' AND machine = false) AS e_h_clicks,
        count(*) FILTER (WHERE type = 'open' AND machine = true) AS e_m_opens,
        count(*) FILTER (WHERE type = 'click' AND machine = true) AS e_m_clicks,
        count(*) FILTER (WHERE type = 'reply' AND machine = false) AS e_n_replies,
        count(*) FILTER (WHERE type = 'reply' AND machine = true AND coalesce(reasons, '') NOT LIKE '["opt-out%') AS e_n_auto_replies,
        count(*) FILTER (WHERE type = 'reply' AND machine = true AND coalesce(reasons, '') LIKE '["opt-out%') AS e_n_opt_out_replies,
        count(*) FILTER (WHERE type = 'unsubscribe') AS e_n_unsubscribes,
        count(*) FILTER (WHERE type = 'complaint') AS e_n_complaints,
        count(*) FILTER (WHERE type = 'conversion') AS e_n_conversions,
        coalesce(sum(CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END) FILTER (WHERE type = 'conversion'), 0) AS e_n_revenue,
        min(ts) FILTER (WHERE type = 'reply' AND machine = false) AS e_first_reply_ts
      FROM ev AS ev
      GROUP BY message),
j AS (SELECT message, send_ts, is_bounced, m_step, m_variant, m_segment, m_domain,
        CASE WHEN is_bounced = 0 THEN e_h_opens ELSE 0 END AS h_opens, CASE WHEN is_bounced = 0 THEN e_h_clicks ELSE 0 END AS h_clicks, CASE WHEN is_bounced = 0 THEN e_m_opens ELSE 0 END AS m_opens, CASE WHEN is_bounced = 0 THEN e_m_clicks ELSE 0 END AS m_clicks, CASE WHEN is_bounced = 0 THEN e_n_replies ELSE 0 END AS n_replies, CASE WHEN is_bounced = 0 THEN e_n_auto_replies ELSE 0 END AS n_auto_replies, CASE WHEN is_bounced = 0 THEN e_n_opt_out_replies ELSE 0 END AS n_opt_out_replies, CASE WHEN is_bounced = 0 THEN e_n_unsubscribes ELSE 0 END AS n_unsubscribes, CASE WHEN is_bounced = 0 THEN e_n_complaints ELSE 0 END AS n_complaints, CASE WHEN is_bounced = 0 THEN e_n_conversions ELSE 0 END AS n_conversions, CASE WHEN is_bounced = 0 THEN e_n_revenue ELSE 0 END AS n_revenue, CASE WHEN is_bounced = 0 THEN e_first_reply_ts END AS first_reply_ts
      FROM msg AS msg)
(SELECT 'report_none' AS part, * FROM (SELECT '' AS key,
      count(*) AS sent,
      count(*) FILTER (WHERE is_bounced = 1) AS bounced,
      count(*) FILTER (WHERE is_bounced = 0) AS delivered,
      count(*) FILTER (WHERE h_opens > 0 OR h_clicks > 0) AS unique_opens,
      count(*) FILTER (WHERE h_opens = 0 AND h_clicks > 0) AS implied_opens,
      count(*) FILTER (WHERE h_clicks > 0) AS unique_clicks,
      sum(h_clicks) AS total_clicks,
      sum(m_opens) AS machine_opens,
      sum(m_clicks) AS scanner_clicks,
      count(*) FILTER (WHERE m_opens > 0 AND h_opens = 0 AND h_clicks = 0) AS privacy_hidden,
      count(*) FILTER (WHERE n_replies > 0) AS replies,
      count(*) FILTER (WHERE n_auto_replies > 0) AS auto_replies,
      count(*) FILTER (WHERE n_opt_out_replies > 0) AS opt_out_replies,
      count(*) FILTER (WHERE n_unsubscribes > 0) AS unsubscribes,
      count(*) FILTER (WHERE n_complaints > 0) AS complaints,
      sum(n_conversions) AS conversions,
      sum(n_revenue) / 10000 AS revenue,
      count(*) FILTER (WHERE h_opens > 0 OR m_opens > 0 OR h_clicks > 0 OR m_clicks > 0) AS raw_unique_opens,
      count(*) FILTER (WHERE h_clicks > 0 OR m_clicks > 0) AS raw_unique_clicks,
      sum(h_clicks + m_clicks) AS raw_total_clicks
    FROM j AS j
    GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_none' AS part, * FROM (SELECT '' AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM j AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reasons' AS part, * FROM (SELECT type, reasons, count(*) AS n
    FROM (SELECT message, type, ts, machine, reasons FROM ev AS ev WHERE type IN ('open', 'click')) AS e
    WHERE message NOT IN (SELECT message FROM bounced AS b) AND machine = true
    GROUP BY type, reasons) AS p)

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
