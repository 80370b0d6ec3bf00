// A data table that sorts by any column and exports what it shows to CSV. Cells render as text through
// Preact, so labels and URLs from the data are always escaped.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { download, toCsv, type Cell } from '../csv';

export interface Column<R> {
  key: string;
  label: string;
  /** The sortable, exportable value. */
  value: (row: R) => Cell;
  /** How the cell looks (default: the value as text). */
  render?: (row: R) => ComponentChildren;
  numeric?: boolean;
}

export function Table<R>(props: {
  title: string;
  rows: R[];
  columns: Column<R>[];
  csvName: string;
  initialSort?: string;
  testId?: string;
  extra?: ComponentChildren;
}) {
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(props.initialSort ? { key: props.initialSort, desc: true } : null);
  const col = props.columns.find((c) => c.key === sort?.key);
  const rows = col
    ? [...props.rows].sort((a, b) => {
        const x = col.value(a);
        const y = col.value(b);
        // Empty values sort last whatever the direction.
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return sort!.desc ? -d : d;
      })
    : props.rows;
  const exportCsv = () =>
    download(
      props.csvName,
      toCsv(
        props.columns.map((c) => c.label),
        rows.map((r) => props.columns.map((c) => c.value(r))),
      ),
    );
  return (
    <section class="card" data-testid={props.testId}>
      <div class="tablehead">
        <h2>{props.title}</h2>
        <div class="toolbar">
          {props.extra}
          <button type="button" onClick={exportCsv}>
            Export CSV
          </button>
        </div>
      </div>
      <table class="data">
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.key}
                class={`sortable${c.numeric ? ' num' : ''}`}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() => setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: c.numeric === true })}
              >
                {c.label}
                {sort?.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : c.key === 'url' ? 'url' : undefined} data-col={c.key}>
                  {c.render ? c.render(r) : String(c.value(r) ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
