-- statement
SELECT toInt64(floor(ts / 86400000)) AS key,
      countIf(type = 'impression') AS impressions,
      countIf(type = 'click' AND machine = 0) AS clicks,
      countIf(type = 'click' AND machine = 1) AS machine_clicks,
      countIf(type = 'click') AS raw_clicks,
      countIf(type = 'conversion') AS conversions,
      ifNull(sumIf(if(abs(value) <= 1000000000000, toInt64(floor(value * 10000 + 0.5)), NULL), type = 'conversion'), 0) / 10000 AS revenue
    FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NULL)
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS e
    GROUP BY key
    ORDER BY key

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}

-- statement
SELECT type, reasons, count(*) AS n FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value, v_machine AS machine, nullIf(v_reasons, '') AS reasons
      FROM (SELECT id, type, ts, message, campaign, recipient, step, variant, segment, ad, url, ip, user_agent, method, value FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NULL AND type = 'click')
      ANY LEFT JOIN (
        SELECT id, machine AS v_machine, reasons AS v_reasons FROM campaign_verdicts FINAL WHERE msg_campaign IN ('', {p0:String}) AND machine = 1
      ) USING (id)) AS e
    WHERE machine = 1
    GROUP BY type, reasons

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
