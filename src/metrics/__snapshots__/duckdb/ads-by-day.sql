-- statement
SELECT CAST(floor(ts / 86400000) AS BIGINT) AS key,
      count(*) FILTER (WHERE type = 'impression') AS impressions,
      count(*) FILTER (WHERE type = 'click' AND machine = false) AS clicks,
      count(*) FILTER (WHERE type = 'click' AND machine = true) AS machine_clicks,
      count(*) FILTER (WHERE type = 'click') AS raw_clicks,
      count(*) FILTER (WHERE type = 'conversion') AS conversions,
      coalesce(sum(CASE WHEN abs(value) <= 1000000000000 THEN CAST(floor(value * 10000 + 0.5) AS BIGINT) END) FILTER (WHERE type = 'conversion'), 0) / 10000 AS revenue
    FROM (SELECT * FROM events WHERE campaign = $p0 AND message IS NULL) AS e
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
SELECT type, reasons, count(*) AS n FROM (SELECT * FROM events WHERE campaign = $p0 AND message IS NULL AND type = 'click') AS e
    WHERE machine = true
    GROUP BY type, reasons

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
