// One clickhouse-server on loopback for a whole test file: started before its first test and stopped
// after its last, so each file pays for one server start, and each test takes a database of its own.
import { after, before } from 'node:test';
import { ClickrateError } from '../../src/errors.js';
import { startLocalClickHouse, type LocalClickHouse } from '../../src/store/clickhouse/local-server.js';

/** Registers the file's before/after hooks; `server` is readable inside tests (and suites' factories). */
export function useLocalClickHouse(): { readonly server: LocalClickHouse } {
  let server: LocalClickHouse | undefined;
  before(async () => {
    server = await startLocalClickHouse();
  });
  after(async () => {
    await server?.stop();
  });
  return {
    get server(): LocalClickHouse {
      if (!server) throw new ClickrateError('CR_ERR_CONFIG', 'the test ClickHouse server is read before the file started it');
      return server;
    },
  };
}
