// ClickHouse store addresses: what a --store URL becomes, and a clear CR_ERR_CONFIG for every bad one
// (the password never shown). Needs no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClickHouseUrl } from './config.js';

test('a store address gives the server, database and credentials', () => {
  const c = parseClickHouseUrl('clickhouse://ann:p%40ss@ch1:8124/events_db');
  assert.equal(c.url, 'http://ch1:8124');
  assert.equal(c.database, 'events_db');
  assert.equal(c.username, 'ann');
  assert.equal(c.password, 'p@ss');
  assert.equal(parseClickHouseUrl('clickhouse://ch1').database, 'clickrate');
});

test('bad addresses are refused by name, without the password', () => {
  const table: Array<[string, RegExp]> = [
    ['clickhouse://ann:%E0%A4%A@ch1/db', /the password is not valid percent-encoding/],
    ['clickhouse://%ZZ@ch1/db', /the user name is not valid percent-encoding/],
    ['clickhouse://ch1/%', /the database name is not valid percent-encoding/],
    ['clickhouse://ch1/a-b', /database name 'a-b' must be letters, digits and _/],
    ['http://ch1/db', /the scheme must be clickhouse:\/\//],
  ];
  for (const [url, message] of table) {
    assert.throws(
      () => parseClickHouseUrl(url),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'CR_ERR_CONFIG');
        assert.match(err.message, message);
        assert.ok(!err.message.includes('%E0%A4%A'), 'the password is not shown');
        return true;
      },
      url,
    );
  }
});
