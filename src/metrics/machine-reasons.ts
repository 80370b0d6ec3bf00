// Turns (type, reasons, count) rows into the "set aside, by reason" breakdown of a report. Reason codes
// keep who was matched (security-vendor-ip:Microsoft, scripted-ua:curl) and drop measurements
// (burst:4-links-in-2s → burst), so the breakdown groups like with like.
import type { Row } from '../store/store.js';

export interface MachineReasons {
  opens: Record<string, number>;
  clicks: Record<string, number>;
}

function reasonKey(code: string): string {
  const i = code.indexOf(':');
  if (i < 0) return code;
  return /\d/.test(code.slice(i + 1)) ? code.slice(0, i) : code;
}

/** An event with several reasons counts once under each: the breakdown says how often each signal fired. */
export function machineReasons(rows: Row[]): MachineReasons {
  const out: MachineReasons = { opens: {}, clicks: {} };
  for (const r of rows) {
    const bucket = r.type === 'open' ? out.opens : out.clicks;
    let codes: unknown = [];
    try {
      codes = typeof r.reasons === 'string' ? JSON.parse(r.reasons) : [];
    } catch {
      codes = ['unreadable-reasons'];
    }
    const list = Array.isArray(codes) && codes.length > 0 ? (codes as unknown[]).map(String) : ['unspecified'];
    for (const key of new Set(list.map(reasonKey))) bucket[key] = (bucket[key] ?? 0) + Number(r.n ?? 0);
  }
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { opens: sorted(out.opens), clicks: sorted(out.clicks) };
}
