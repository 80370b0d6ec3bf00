// Test fixture for last-resort.test.ts, run as a child process: installs the last-resort handlers, lets an
// exception and a rejection escape, and then says it is still alive, with the counts it kept.
import { writeSync } from 'node:fs';
import { pino } from 'pino';
import { installLastResort } from '../../src/cli/last-resort.js';

const noted: string[] = [];
const counts = installLastResort(pino({ level: 'info' }, pino.destination({ fd: 1, sync: true })), (_err, origin) => noted.push(origin));
setTimeout(() => {
  throw new Error('escaped from a timer');
}, 1);
void Promise.reject(new TypeError('a rejection nobody handled'));
setTimeout(() => {
  writeSync(1, `alive ${JSON.stringify({ counts, noted })}\n`);
}, 50);
