-- statement
WITH ev AS (SELECT message, type, ts, machine, reasons, url, value, step, variant, segment, recipient FROM (SELECT * FROM (SELECT * FROM events WHERE message IN (SELECT message FROM events WHERE campaign = $p0 AND message IS NOT NULL AND type IN ('sent', 'delivered'))) AS o WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> $p0 AND message IN (SELECT message FROM events WHERE campaign = $p0 AND message IS NOT NULL)) GROUP BY message HAVING argMin(campaign, (type <> 'sent', ts, id)) <> $p0) AND (type <> 'sent' OR campaign = $p0)) AS e),
msg AS (SELECT message, coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
        max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
        coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS m_step,
        coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS m_variant,
        coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS m_segment,
        lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS m_domain
      FROM ev AS ev WHERE type IN ('sent', 'delivered', 'bounced')
      GROUP BY message)
SELECT CAST(floor(ts / 86400000) AS BIGINT) AS bucket,
      count(*) FILTER (WHERE type = 'open' AND machine = false) AS human_opens,
      count(*) FILTER (WHERE type = 'open' AND machine = true) AS machine_opens,
      count(*) FILTER (WHERE type = 'click' AND machine = false) AS human_clicks,
      count(*) FILTER (WHERE type = 'click' AND machine = true) AS machine_clicks
    FROM (SELECT message, type, ts, machine FROM ev AS ev WHERE type IN ('open', 'click')) AS e
    JOIN (SELECT message, send_ts, is_bounced FROM msg AS msg) AS m USING (message)
    WHERE is_bounced = 0 AND ts <= send_ts + $p1
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
