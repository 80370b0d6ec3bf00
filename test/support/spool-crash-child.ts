// Test fixture for spool-crash.test.ts, run as a child process: appends clicks to a spool and reports
// each one on stdout the moment append returns, until the parent kills it with SIGKILL.
import { writeSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Spool } from '../../src/tracking/spool.js';
import { makeEvent } from '../../src/events/make-event.js';

const [dir, countArg] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: spool-crash-child DIR [COUNT]\n');
  process.exit(2);
}
const count = Number(countArg ?? 1_000_000);
const spool = Spool.open({ dir, segmentBytes: 16 * 1024 });

for (let i = 0; i < count; i++) {
  spool.append(
    makeEvent({
      id: `kill-${i}`,
      type: 'click',
      ts: 1_772_000_000_000 + i,
      message: `msg-${i}`,
      url: 'https://example.com/offer',
      ip: '198.51.100.4',
      user_agent: 'Mozilla/5.0',
      method: 'GET',
    }),
  );
  // TRICKY: fs.writeSync, not console.log: the line must leave this process before the next append, the
  // way a redirect is sent only after append returned. The parent counts only what it saw here.
  writeSync(1, `appended ${i}\n`);
  // Let group commits (timers) run now and then, as they would between requests on a real server.
  if (i % 64 === 63) await yieldToLoop();
}
// Reaching here means the parent never killed us; it fails the test on a clean exit.
await spool.close();
