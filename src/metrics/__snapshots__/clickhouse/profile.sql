-- statement
SELECT
      (SELECT count(*) FROM (SELECT message, type FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String}) AS o WHERE message IS NOT NULL AND type IN ('sent', 'delivered')) AS sends,
      (SELECT count(*) FROM (SELECT message, type FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String}) AS o WHERE message IS NULL) AS ad_events,
      (SELECT count(*) FROM (SELECT message, type FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String}) AS o) AS events,
      (SELECT count(*) FROM (SELECT message FROM events WHERE msg_campaign = '' AND campaign = {p0:String} AND message IS NOT NULL AND type NOT IN ('sent', 'delivered')) AS c
        WHERE message NOT IN (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM (SELECT message FROM events WHERE msg_campaign = '' AND campaign = {p0:String} AND message IS NOT NULL AND type NOT IN ('sent', 'delivered')) AS c2)))
      ) AS orphans,
      (SELECT count(*) FROM (SELECT message FROM events WHERE type IN ('sent', 'delivered') AND campaign IS NOT NULL AND message IS NOT NULL AND campaign <> {p0:String} AND ifNull(message, '') IN (SELECT assumeNotNull(message) FROM (SELECT message FROM events WHERE msg_campaign IN ('', {p0:String}) AND campaign = {p0:String} AND message IS NOT NULL))) AS f) AS foreign_claims

-- params
{
  "p0": {
    "value": "spring",
    "type": "String"
  }
}
