-- statement (parts: report_none, report_day, report_step, report_variant, links, report_provider, reply_delay_none, reply_delay_day, reply_delay_step, reply_delay_variant, reply_delay_provider, reasons)
WITH j AS (SELECT send_ts, is_bounced, step AS m_step, variant AS m_variant, segment AS m_segment, domain AS m_domain,
      CASE WHEN is_bounced = 0 THEN h_open_n ELSE 0 END AS h_opens,
      CASE WHEN is_bounced = 0 THEN h_click_n ELSE 0 END AS h_clicks,
      CASE WHEN is_bounced = 0 THEN m_open_n ELSE 0 END AS m_opens,
      CASE WHEN is_bounced = 0 THEN m_click_n ELSE 0 END AS m_clicks,
      CASE WHEN is_bounced = 0 THEN reply_n ELSE 0 END AS n_replies,
      CASE WHEN is_bounced = 0 THEN auto_reply_n ELSE 0 END AS n_auto_replies,
      CASE WHEN is_bounced = 0 THEN opt_out_reply_n ELSE 0 END AS n_opt_out_replies,
      CASE WHEN is_bounced = 0 THEN unsubscribe_n ELSE 0 END AS n_unsubscribes,
      CASE WHEN is_bounced = 0 THEN complaint_n ELSE 0 END AS n_complaints,
      CASE WHEN is_bounced = 0 THEN conversion_n ELSE 0 END AS n_conversions,
      CASE WHEN is_bounced = 0 THEN revenue ELSE 0 END AS n_revenue
    FROM (SELECT * FROM message_facts WHERE campaign = $p0 AND message NOT IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)
    UNION ALL BY NAME
    SELECT * FROM (WITH own AS (SELECT message, argMin(campaign, (type <> 'sent', ts, id)) AS campaign,
        min(campaign) FILTER (WHERE type = 'sent') <> max(campaign) FILTER (WHERE type = 'sent') AS contested
      FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message),
    fix AS (SELECT message, coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN ('sent', 'delivered')) AS c
      WHERE (type <> 'sent' OR campaign = owner)
      GROUP BY message),
    m AS (SELECT message,
      coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
      max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
      coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain,
      coalesce(list({type: type, ts: ts, machine: machine, url: url, reasons: reasons, v: CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END}) FILTER (WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')), []) AS e
    FROM events WHERE message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message)
  SELECT *, len(h_opens) AS h_open_n, len(h_clicks) AS h_click_n, len(m_opens) AS m_open_n, len(m_clicks) AS m_click_n, len(replies) AS reply_n, len(auto_replies) AS auto_reply_n, len(opt_out_replies) AS opt_out_reply_n, len(unsubscribes) AS unsubscribe_n, len(complaints) AS complaint_n, len(conversions) AS conversion_n,
    coalesce(list_sum(list_transform(conversions, lambda x: x.v)), 0) AS revenue,
    list_transform(list_distinct(list_transform(list_concat(h_clicks, m_clicks), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(h_clicks, lambda x: x.url = u)), m: len(list_filter(m_clicks, lambda x: x.url = u))}) AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, CASE WHEN own.contested THEN fix.step ELSE m.step END AS step, CASE WHEN own.contested THEN fix.variant ELSE m.variant END AS variant, CASE WHEN own.contested THEN fix.segment ELSE m.segment END AS segment, CASE WHEN own.contested THEN fix.domain ELSE m.domain END AS domain,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = false), lambda x: x.ts) AS h_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = false), lambda x: {ts: x.ts, url: x.url}) AS h_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = true), lambda x: {ts: x.ts, reasons: x.reasons}) AS m_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = true), lambda x: {ts: x.ts, url: x.url, reasons: x.reasons}) AS m_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = false), lambda x: x.ts) AS replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') NOT LIKE '["opt-out%'), lambda x: x.ts) AS auto_replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') LIKE '["opt-out%'), lambda x: x.ts) AS opt_out_replies,
    list_transform(list_filter(e, lambda x: x.type = 'unsubscribe'), lambda x: x.ts) AS unsubscribes,
    list_transform(list_filter(e, lambda x: x.type = 'complaint'), lambda x: x.ts) AS complaints,
    list_transform(list_filter(e, lambda x: x.type = 'conversion'), lambda x: {ts: x.ts, v: x.v}) AS conversions
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f) AS live WHERE campaign = $p0) AS f),
replied AS (SELECT send_ts, is_bounced, step AS m_step, variant AS m_variant, segment AS m_segment, domain AS m_domain, list_min(replies) AS first_reply_ts
    FROM (SELECT * FROM message_facts WHERE campaign = $p0 AND message NOT IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)
    UNION ALL BY NAME
    SELECT * FROM (WITH own AS (SELECT message, argMin(campaign, (type <> 'sent', ts, id)) AS campaign,
        min(campaign) FILTER (WHERE type = 'sent') <> max(campaign) FILTER (WHERE type = 'sent') AS contested
      FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message),
    fix AS (SELECT message, coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN ('sent', 'delivered')) AS c
      WHERE (type <> 'sent' OR campaign = owner)
      GROUP BY message),
    m AS (SELECT message,
      coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
      max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
      coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain,
      coalesce(list({type: type, ts: ts, machine: machine, url: url, reasons: reasons, v: CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END}) FILTER (WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')), []) AS e
    FROM events WHERE message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message)
  SELECT *, len(h_opens) AS h_open_n, len(h_clicks) AS h_click_n, len(m_opens) AS m_open_n, len(m_clicks) AS m_click_n, len(replies) AS reply_n, len(auto_replies) AS auto_reply_n, len(opt_out_replies) AS opt_out_reply_n, len(unsubscribes) AS unsubscribe_n, len(complaints) AS complaint_n, len(conversions) AS conversion_n,
    coalesce(list_sum(list_transform(conversions, lambda x: x.v)), 0) AS revenue,
    list_transform(list_distinct(list_transform(list_concat(h_clicks, m_clicks), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(h_clicks, lambda x: x.url = u)), m: len(list_filter(m_clicks, lambda x: x.url = u))}) AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, CASE WHEN own.contested THEN fix.step ELSE m.step END AS step, CASE WHEN own.contested THEN fix.variant ELSE m.variant END AS variant, CASE WHEN own.contested THEN fix.segment ELSE m.segment END AS segment, CASE WHEN own.contested THEN fix.domain ELSE m.domain END AS domain,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = false), lambda x: x.ts) AS h_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = false), lambda x: {ts: x.ts, url: x.url}) AS h_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = true), lambda x: {ts: x.ts, reasons: x.reasons}) AS m_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = true), lambda x: {ts: x.ts, url: x.url, reasons: x.reasons}) AS m_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = false), lambda x: x.ts) AS replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') NOT LIKE '["opt-out%'), lambda x: x.ts) AS auto_replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') LIKE '["opt-out%'), lambda x: x.ts) AS opt_out_replies,
    list_transform(list_filter(e, lambda x: x.type = 'unsubscribe'), lambda x: x.ts) AS unsubscribes,
    list_transform(list_filter(e, lambda x: x.type = 'complaint'), lambda x: x.ts) AS complaints,
    list_transform(list_filter(e, lambda x: x.type = 'conversion'), lambda x: {ts: x.ts, v: x.v}) AS conversions
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f) AS live WHERE campaign = $p0) AS f WHERE is_bounced = 0 AND reply_n > 0),
cube AS (SELECT '' AS k_none, CAST(floor(send_ts / 86400000) AS BIGINT) AS k_day, m_step AS k_step, m_variant AS k_variant, m_domain AS k_provider,
      count(*) AS sent, count(*) FILTER (WHERE is_bounced = 1) AS bounced, count(*) FILTER (WHERE is_bounced = 0) AS delivered, count(*) FILTER (WHERE h_opens > 0 OR h_clicks > 0) AS unique_opens, count(*) FILTER (WHERE h_opens = 0 AND h_clicks > 0) AS implied_opens, count(*) FILTER (WHERE h_clicks > 0) AS unique_clicks, sum(h_clicks) AS total_clicks, sum(m_opens) AS machine_opens, sum(m_clicks) AS scanner_clicks, count(*) FILTER (WHERE m_opens > 0 AND h_opens = 0 AND h_clicks = 0) AS privacy_hidden, count(*) FILTER (WHERE n_replies > 0) AS replies, count(*) FILTER (WHERE n_auto_replies > 0) AS auto_replies, count(*) FILTER (WHERE n_opt_out_replies > 0) AS opt_out_replies, count(*) FILTER (WHERE n_unsubscribes > 0) AS unsubscribes, count(*) FILTER (WHERE n_complaints > 0) AS complaints, sum(n_conversions) AS conversions, sum(n_revenue) AS revenue, count(*) FILTER (WHERE h_opens > 0 OR m_opens > 0 OR h_clicks > 0 OR m_clicks > 0) AS raw_unique_opens, count(*) FILTER (WHERE h_clicks > 0 OR m_clicks > 0) AS raw_unique_clicks, sum(h_clicks + m_clicks) AS raw_total_clicks
    FROM j AS j
    GROUP BY ALL)
(SELECT 'report_none' AS part, * FROM (SELECT k_none AS key, sum(sent) AS sent, sum(bounced) AS bounced, sum(delivered) AS delivered, sum(unique_opens) AS unique_opens, sum(implied_opens) AS implied_opens, sum(unique_clicks) AS unique_clicks, sum(total_clicks) AS total_clicks, sum(machine_opens) AS machine_opens, sum(scanner_clicks) AS scanner_clicks, sum(privacy_hidden) AS privacy_hidden, sum(replies) AS replies, sum(auto_replies) AS auto_replies, sum(opt_out_replies) AS opt_out_replies, sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(conversions) AS conversions, sum(revenue) / 10000 AS revenue, sum(raw_unique_opens) AS raw_unique_opens, sum(raw_unique_clicks) AS raw_unique_clicks, sum(raw_total_clicks) AS raw_total_clicks
    FROM cube AS cube GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'report_day' AS part, * FROM (SELECT k_day AS key, sum(sent) AS sent, sum(bounced) AS bounced, sum(delivered) AS delivered, sum(unique_opens) AS unique_opens, sum(implied_opens) AS implied_opens, sum(unique_clicks) AS unique_clicks, sum(total_clicks) AS total_clicks, sum(machine_opens) AS machine_opens, sum(scanner_clicks) AS scanner_clicks, sum(privacy_hidden) AS privacy_hidden, sum(replies) AS replies, sum(auto_replies) AS auto_replies, sum(opt_out_replies) AS opt_out_replies, sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(conversions) AS conversions, sum(revenue) / 10000 AS revenue, sum(raw_unique_opens) AS raw_unique_opens, sum(raw_unique_clicks) AS raw_unique_clicks, sum(raw_total_clicks) AS raw_total_clicks
    FROM cube AS cube GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'report_step' AS part, * FROM (SELECT k_step AS key, sum(sent) AS sent, sum(bounced) AS bounced, sum(delivered) AS delivered, sum(unique_opens) AS unique_opens, sum(implied_opens) AS implied_opens, sum(unique_clicks) AS unique_clicks, sum(total_clicks) AS total_clicks, sum(machine_opens) AS machine_opens, sum(scanner_clicks) AS scanner_clicks, sum(privacy_hidden) AS privacy_hidden, sum(replies) AS replies, sum(auto_replies) AS auto_replies, sum(opt_out_replies) AS opt_out_replies, sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(conversions) AS conversions, sum(revenue) / 10000 AS revenue, sum(raw_unique_opens) AS raw_unique_opens, sum(raw_unique_clicks) AS raw_unique_clicks, sum(raw_total_clicks) AS raw_total_clicks
    FROM cube AS cube GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'report_variant' AS part, * FROM (SELECT k_variant AS key, sum(sent) AS sent, sum(bounced) AS bounced, sum(delivered) AS delivered, sum(unique_opens) AS unique_opens, sum(implied_opens) AS implied_opens, sum(unique_clicks) AS unique_clicks, sum(total_clicks) AS total_clicks, sum(machine_opens) AS machine_opens, sum(scanner_clicks) AS scanner_clicks, sum(privacy_hidden) AS privacy_hidden, sum(replies) AS replies, sum(auto_replies) AS auto_replies, sum(opt_out_replies) AS opt_out_replies, sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(conversions) AS conversions, sum(revenue) / 10000 AS revenue, sum(raw_unique_opens) AS raw_unique_opens, sum(raw_unique_clicks) AS raw_unique_clicks, sum(raw_total_clicks) AS raw_total_clicks
    FROM cube AS cube GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'links' AS part, * FROM (SELECT l.url AS key,
      count(*) FILTER (WHERE l.h > 0) AS unique_clicks,
      sum(l.h) AS total_clicks,
      sum(l.m) AS scanner_clicks,
      count(*) FILTER (WHERE l.h + l.m > 0) AS raw_unique_clicks,
      sum(l.h + l.m) AS raw_total_clicks
    FROM (SELECT unnest(links) AS l FROM (SELECT * FROM message_facts WHERE campaign = $p0 AND message NOT IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)
    UNION ALL BY NAME
    SELECT * FROM (WITH own AS (SELECT message, argMin(campaign, (type <> 'sent', ts, id)) AS campaign,
        min(campaign) FILTER (WHERE type = 'sent') <> max(campaign) FILTER (WHERE type = 'sent') AS contested
      FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message),
    fix AS (SELECT message, coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN ('sent', 'delivered')) AS c
      WHERE (type <> 'sent' OR campaign = owner)
      GROUP BY message),
    m AS (SELECT message,
      coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
      max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
      coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain,
      coalesce(list({type: type, ts: ts, machine: machine, url: url, reasons: reasons, v: CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END}) FILTER (WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')), []) AS e
    FROM events WHERE message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message)
  SELECT *, len(h_opens) AS h_open_n, len(h_clicks) AS h_click_n, len(m_opens) AS m_open_n, len(m_clicks) AS m_click_n, len(replies) AS reply_n, len(auto_replies) AS auto_reply_n, len(opt_out_replies) AS opt_out_reply_n, len(unsubscribes) AS unsubscribe_n, len(complaints) AS complaint_n, len(conversions) AS conversion_n,
    coalesce(list_sum(list_transform(conversions, lambda x: x.v)), 0) AS revenue,
    list_transform(list_distinct(list_transform(list_concat(h_clicks, m_clicks), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(h_clicks, lambda x: x.url = u)), m: len(list_filter(m_clicks, lambda x: x.url = u))}) AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, CASE WHEN own.contested THEN fix.step ELSE m.step END AS step, CASE WHEN own.contested THEN fix.variant ELSE m.variant END AS variant, CASE WHEN own.contested THEN fix.segment ELSE m.segment END AS segment, CASE WHEN own.contested THEN fix.domain ELSE m.domain END AS domain,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = false), lambda x: x.ts) AS h_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = false), lambda x: {ts: x.ts, url: x.url}) AS h_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = true), lambda x: {ts: x.ts, reasons: x.reasons}) AS m_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = true), lambda x: {ts: x.ts, url: x.url, reasons: x.reasons}) AS m_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = false), lambda x: x.ts) AS replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') NOT LIKE '["opt-out%'), lambda x: x.ts) AS auto_replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') LIKE '["opt-out%'), lambda x: x.ts) AS opt_out_replies,
    list_transform(list_filter(e, lambda x: x.type = 'unsubscribe'), lambda x: x.ts) AS unsubscribes,
    list_transform(list_filter(e, lambda x: x.type = 'complaint'), lambda x: x.ts) AS complaints,
    list_transform(list_filter(e, lambda x: x.type = 'conversion'), lambda x: {ts: x.ts, v: x.v}) AS conversions
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f) AS live WHERE campaign = $p0) AS f WHERE is_bounced = 0 AND h_click_n + m_click_n > 0) AS c
    GROUP BY l.url) AS p)
UNION ALL BY NAME
(SELECT 'report_provider' AS part, * FROM (SELECT k_provider AS key, sum(sent) AS sent, sum(bounced) AS bounced, sum(delivered) AS delivered, sum(unique_opens) AS unique_opens, sum(implied_opens) AS implied_opens, sum(unique_clicks) AS unique_clicks, sum(total_clicks) AS total_clicks, sum(machine_opens) AS machine_opens, sum(scanner_clicks) AS scanner_clicks, sum(privacy_hidden) AS privacy_hidden, sum(replies) AS replies, sum(auto_replies) AS auto_replies, sum(opt_out_replies) AS opt_out_replies, sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(conversions) AS conversions, sum(revenue) / 10000 AS revenue, sum(raw_unique_opens) AS raw_unique_opens, sum(raw_unique_clicks) AS raw_unique_clicks, sum(raw_total_clicks) AS raw_total_clicks
    FROM cube AS cube GROUP BY key) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_none' AS part, * FROM (SELECT '' AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM replied AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_day' AS part, * FROM (SELECT CAST(floor(send_ts / 86400000) AS BIGINT) AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM replied AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_step' AS part, * FROM (SELECT m_step AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM replied AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_variant' AS part, * FROM (SELECT m_variant AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM replied AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reply_delay_provider' AS part, * FROM (SELECT CASE WHEN coalesce(m_domain, '') = '' THEN 'unknown' WHEN m_domain IN ('gmail.com', 'googlemail.com') THEN 'gmail' WHEN m_domain IN ('outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'hotmail.co.uk', 'hotmail.fr', 'outlook.fr', 'live.co.uk') THEN 'outlook' WHEN m_domain IN ('yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.co.jp') THEN 'yahoo' WHEN m_domain IN ('aol.com', 'aim.com') THEN 'aol' WHEN m_domain IN ('icloud.com', 'me.com', 'mac.com') THEN 'apple' WHEN m_domain IN ('proton.me', 'protonmail.com', 'pm.me') THEN 'proton' WHEN m_domain IN ('gmx.com', 'gmx.de', 'gmx.net', 'web.de') THEN 'gmx' WHEN m_domain IN ('yandex.ru', 'yandex.com', 'ya.ru') THEN 'yandex' WHEN m_domain IN ('zoho.com', 'zohomail.com') THEN 'zoho' WHEN m_domain IN ('fastmail.com', 'fastmail.fm') THEN 'fastmail' WHEN m_domain IN ('mail.ru', 'bk.ru', 'inbox.ru', 'list.ru') THEN 'mail.ru' WHEN m_domain IN ('qq.com') THEN 'qq' WHEN m_domain IN ('163.com', '126.com') THEN 'netease' WHEN m_domain IN ('comcast.net') THEN 'comcast' ELSE 'other' END AS key, quantile_disc(CASE WHEN first_reply_ts > send_ts THEN first_reply_ts - send_ts ELSE 0 END, 0.5) / 1000 AS median_time_to_reply_s
    FROM replied AS j
    WHERE is_bounced = 0 AND first_reply_ts IS NOT NULL
    GROUP BY key
    HAVING count(*) > 0) AS p)
UNION ALL BY NAME
(SELECT 'reasons' AS part, * FROM (SELECT type, reasons, count(*) AS n
    FROM (SELECT 'open' AS type, unnest(m_opens).reasons AS reasons FROM (SELECT * FROM message_facts WHERE campaign = $p0 AND message NOT IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)
    UNION ALL BY NAME
    SELECT * FROM (WITH own AS (SELECT message, argMin(campaign, (type <> 'sent', ts, id)) AS campaign,
        min(campaign) FILTER (WHERE type = 'sent') <> max(campaign) FILTER (WHERE type = 'sent') AS contested
      FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message),
    fix AS (SELECT message, coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN ('sent', 'delivered')) AS c
      WHERE (type <> 'sent' OR campaign = owner)
      GROUP BY message),
    m AS (SELECT message,
      coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
      max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
      coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain,
      coalesce(list({type: type, ts: ts, machine: machine, url: url, reasons: reasons, v: CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END}) FILTER (WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')), []) AS e
    FROM events WHERE message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message)
  SELECT *, len(h_opens) AS h_open_n, len(h_clicks) AS h_click_n, len(m_opens) AS m_open_n, len(m_clicks) AS m_click_n, len(replies) AS reply_n, len(auto_replies) AS auto_reply_n, len(opt_out_replies) AS opt_out_reply_n, len(unsubscribes) AS unsubscribe_n, len(complaints) AS complaint_n, len(conversions) AS conversion_n,
    coalesce(list_sum(list_transform(conversions, lambda x: x.v)), 0) AS revenue,
    list_transform(list_distinct(list_transform(list_concat(h_clicks, m_clicks), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(h_clicks, lambda x: x.url = u)), m: len(list_filter(m_clicks, lambda x: x.url = u))}) AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, CASE WHEN own.contested THEN fix.step ELSE m.step END AS step, CASE WHEN own.contested THEN fix.variant ELSE m.variant END AS variant, CASE WHEN own.contested THEN fix.segment ELSE m.segment END AS segment, CASE WHEN own.contested THEN fix.domain ELSE m.domain END AS domain,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = false), lambda x: x.ts) AS h_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = false), lambda x: {ts: x.ts, url: x.url}) AS h_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = true), lambda x: {ts: x.ts, reasons: x.reasons}) AS m_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = true), lambda x: {ts: x.ts, url: x.url, reasons: x.reasons}) AS m_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = false), lambda x: x.ts) AS replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') NOT LIKE '["opt-out%'), lambda x: x.ts) AS auto_replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') LIKE '["opt-out%'), lambda x: x.ts) AS opt_out_replies,
    list_transform(list_filter(e, lambda x: x.type = 'unsubscribe'), lambda x: x.ts) AS unsubscribes,
    list_transform(list_filter(e, lambda x: x.type = 'complaint'), lambda x: x.ts) AS complaints,
    list_transform(list_filter(e, lambda x: x.type = 'conversion'), lambda x: {ts: x.ts, v: x.v}) AS conversions
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f) AS live WHERE campaign = $p0) AS f WHERE is_bounced = 0 AND m_open_n > 0
      UNION ALL SELECT 'click' AS type, unnest(m_clicks).reasons AS reasons FROM (SELECT * FROM message_facts WHERE campaign = $p0 AND message NOT IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty)
    UNION ALL BY NAME
    SELECT * FROM (WITH own AS (SELECT message, argMin(campaign, (type <> 'sent', ts, id)) AS campaign,
        min(campaign) FILTER (WHERE type = 'sent') <> max(campaign) FILTER (WHERE type = 'sent') AS contested
      FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message),
    fix AS (SELECT message, coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain
      FROM (SELECT e.*, own.campaign AS owner FROM events e JOIN own ON e.message = own.message AND own.contested WHERE e.type IN ('sent', 'delivered')) AS c
      WHERE (type <> 'sent' OR campaign = owner)
      GROUP BY message),
    m AS (SELECT message,
      coalesce(min(ts) FILTER (WHERE type = 'sent'), min(ts) FILTER (WHERE type = 'delivered')) AS send_ts,
      max(CASE WHEN type = 'bounced' THEN 1 ELSE 0 END) AS is_bounced,
      coalesce(any_value(step) FILTER (WHERE type = 'sent'), any_value(step) FILTER (WHERE type = 'delivered')) AS step,
      coalesce(any_value(variant) FILTER (WHERE type = 'sent'), any_value(variant) FILTER (WHERE type = 'delivered')) AS variant,
      coalesce(any_value(segment) FILTER (WHERE type = 'sent'), any_value(segment) FILTER (WHERE type = 'delivered')) AS segment,
      lower(CASE WHEN strpos(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@') > 0 THEN split_part(coalesce(any_value(recipient) FILTER (WHERE type = 'sent'), any_value(recipient) FILTER (WHERE type = 'delivered')), '@', 2) ELSE '' END) AS domain,
      coalesce(list({type: type, ts: ts, machine: machine, url: url, reasons: reasons, v: CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END}) FILTER (WHERE type IN ('open', 'click', 'reply', 'unsubscribe', 'complaint', 'conversion')), []) AS e
    FROM events WHERE message IS NOT NULL AND message IN (SELECT message FROM events WHERE ingested_at > (SELECT through FROM message_facts_state) AND message IS NOT NULL
  UNION SELECT message FROM message_facts_dirty) GROUP BY message)
  SELECT *, len(h_opens) AS h_open_n, len(h_clicks) AS h_click_n, len(m_opens) AS m_open_n, len(m_clicks) AS m_click_n, len(replies) AS reply_n, len(auto_replies) AS auto_reply_n, len(opt_out_replies) AS opt_out_reply_n, len(unsubscribes) AS unsubscribe_n, len(complaints) AS complaint_n, len(conversions) AS conversion_n,
    coalesce(list_sum(list_transform(conversions, lambda x: x.v)), 0) AS revenue,
    list_transform(list_distinct(list_transform(list_concat(h_clicks, m_clicks), lambda x: x.url)),
      lambda u: {url: u, h: len(list_filter(h_clicks, lambda x: x.url = u)), m: len(list_filter(m_clicks, lambda x: x.url = u))}) AS links
  FROM (SELECT own.campaign, m.message, send_ts, is_bounced, CASE WHEN own.contested THEN fix.step ELSE m.step END AS step, CASE WHEN own.contested THEN fix.variant ELSE m.variant END AS variant, CASE WHEN own.contested THEN fix.segment ELSE m.segment END AS segment, CASE WHEN own.contested THEN fix.domain ELSE m.domain END AS domain,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = false), lambda x: x.ts) AS h_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = false), lambda x: {ts: x.ts, url: x.url}) AS h_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'open' AND x.machine = true), lambda x: {ts: x.ts, reasons: x.reasons}) AS m_opens,
    list_transform(list_filter(e, lambda x: x.type = 'click' AND x.machine = true), lambda x: {ts: x.ts, url: x.url, reasons: x.reasons}) AS m_clicks,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = false), lambda x: x.ts) AS replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') NOT LIKE '["opt-out%'), lambda x: x.ts) AS auto_replies,
    list_transform(list_filter(e, lambda x: x.type = 'reply' AND x.machine = true AND coalesce(x.reasons, '') LIKE '["opt-out%'), lambda x: x.ts) AS opt_out_replies,
    list_transform(list_filter(e, lambda x: x.type = 'unsubscribe'), lambda x: x.ts) AS unsubscribes,
    list_transform(list_filter(e, lambda x: x.type = 'complaint'), lambda x: x.ts) AS complaints,
    list_transform(list_filter(e, lambda x: x.type = 'conversion'), lambda x: {ts: x.ts, v: x.v}) AS conversions
  FROM own JOIN m USING (message) LEFT JOIN fix USING (message)) AS f) AS live WHERE campaign = $p0) AS f WHERE is_bounced = 0 AND m_click_n > 0) AS r
    GROUP BY type, reasons) AS p)

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
