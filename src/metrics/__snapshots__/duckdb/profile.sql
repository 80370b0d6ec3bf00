-- statement
WITH own AS (SELECT message, type FROM events WHERE campaign = $p0),
candidates AS (SELECT message FROM own AS o WHERE message IS NOT NULL AND type NOT IN ('sent', 'delivered'))
SELECT
      (SELECT count(*) FROM own AS o WHERE message IS NOT NULL AND type IN ('sent', 'delivered')) AS sends,
      (SELECT count(*) FROM own AS o WHERE message IS NULL) AS ad_events,
      (SELECT count(*) FROM own AS o) AS events,
      (SELECT count(*) FROM candidates AS c
        WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND message IN (SELECT message FROM candidates AS c2))
      ) AS orphans,
      (EXISTS (SELECT 1 FROM events WHERE ingested_at > (SELECT through FROM message_facts_state))
  OR EXISTS (SELECT 1 FROM message_facts_dirty)) AS facts_stale

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
