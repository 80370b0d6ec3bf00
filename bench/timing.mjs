// Shared by the benchmarks: runs fn once to warm up, then `runs` times, and reports the median, the
// 90th percentile and the fastest run in milliseconds.
export async function timeRuns(fn, runs) {
  await fn(); // warm-up: first touch of the file's blocks, JIT
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q) => Math.round(ms[Math.min(ms.length - 1, Math.floor(ms.length * q))] * 10) / 10;
  return { median: at(0.5), p90: at(0.9), min: Math.round(ms[0] * 10) / 10 };
}

/**
 * Wraps `store.beginVerdictPass` so that the next pass is timed by phase, in milliseconds: `begin` (the
 * snapshot), `finish` (the write-back and the facts), and summed over the chunks `next` (reads, which
 * overlap the classifying of the chunk before) and `write` (verdicts handed to the store). `onPhase`, if
 * given, is told 'snapshot', 'chunks' and 'finish' as each starts (for sampling memory by phase).
 */
export function timeVerdictPass(store, onPhase = () => undefined) {
  const ms = { begin: 0, finish: 0, next: 0, write: 0 };
  const begin = store.beginVerdictPass.bind(store);
  const timed =
    (fn, add) =>
    async (...a) => {
      const t = performance.now();
      try {
        return await fn(...a);
      } finally {
        add(performance.now() - t);
      }
    };
  store.beginVerdictPass = async (opts) => {
    onPhase('snapshot');
    const pass = await timed(begin, (d) => (ms.begin = d))(opts);
    onPhase('chunks');
    pass.next = timed(pass.next.bind(pass), (d) => (ms.next += d));
    pass.write = timed(pass.write.bind(pass), (d) => (ms.write += d));
    const finish = timed(pass.finish.bind(pass), (d) => (ms.finish = d));
    pass.finish = () => {
      onPhase('finish');
      return finish();
    };
    return pass;
  };
  return ms;
}
