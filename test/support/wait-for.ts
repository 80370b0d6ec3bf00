// The one way tests wait for something that happens in the background (a writer draining, a server
// replaying its spool): poll a condition a bounded number of times, then fail naming what never came.
// A guard against hanging, not a timing assertion: the bound is generous for a loaded CI machine.
import assert from 'node:assert/strict';

export interface WaitOptions {
  /** How many times the condition is asked (default 600). */
  tries?: number;
  /** Pause between asks, in ms (default 50). */
  everyMs?: number;
}

/**
 * Resolves with the condition's first truthy answer; the condition may be async and may return the
 * value waited for (a report, a row). Fails with `what` when it never comes.
 */
export async function waitFor<T>(what: string, condition: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const tries = opts.tries ?? 600;
  for (let i = 0; i < tries; i++) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 50));
  }
  assert.fail(`gave up waiting for ${what}`);
}
