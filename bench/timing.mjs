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
