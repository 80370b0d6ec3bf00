// The linear-time burst finder against the definition, written the slow obvious way, on random clicks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../demo/rng.js';
import { bursts, type ClassifiableEvent } from './classify.js';

/** The definition: every window starting at a click; each click keeps the first window with the most links. */
function naive(clicks: ClassifiableEvent[], windowMs: number): Map<string, { links: number; spanMs: number }> {
  const out = new Map<string, { links: number; spanMs: number }>();
  const s = [...clicks].sort((a, b) => a.ts - b.ts);
  for (let j = 0; j < s.length; j++) {
    let k = j;
    const urls = new Set<string>();
    for (; k < s.length && s[k]!.ts - s[j]!.ts <= windowMs; k++) urls.add(s[k]!.url ?? '');
    if (urls.size < 2) continue;
    for (let i = j; i < k; i++) {
      const prev = out.get(s[i]!.id);
      if (!prev || prev.links < urls.size) out.set(s[i]!.id, { links: urls.size, spanMs: s[k - 1]!.ts - s[j]!.ts });
    }
  }
  return out;
}

test('bursts: the linear algorithm matches the definition on 300 random messages', () => {
  const rng = createRng(42);
  for (let round = 0; round < 300; round++) {
    const n = rng.int(0, 40);
    const clicks: ClassifiableEvent[] = Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      type: 'click',
      ts: rng.int(0, 20_000),
      url: `https://x.example/${rng.int(0, 5)}`,
    }));
    assert.deepEqual(bursts(clicks, 3000), naive(clicks, 3000), `round ${round}`);
  }
});

test('bursts: one link clicked 50,000 times is no burst, and every click of three links within a second is', () => {
  const hammered = Array.from({ length: 50_000 }, (_, i): ClassifiableEvent => ({ id: `h${i}`, type: 'click', ts: i, url: 'https://x.example/a' }));
  assert.equal(bursts(hammered, 3000).size, 0);
  const scan = ['a', 'b', 'c'].map((l, i): ClassifiableEvent => ({ id: l, type: 'click', ts: 1000 + i * 300, url: `https://x.example/${l}` }));
  assert.deepEqual(
    [...bursts(scan, 3000).values()].map((b) => b.links),
    [3, 3, 3],
  );
});
