// A data table that sorts by any column (headers are buttons: keyboard and screen readers reach them) and
// exports what it shows to CSV. Cells render as text through Preact, so labels and URLs from the data are
// always escaped. The CSV follows the convention of `clickrate report --csv` (docs/metrics.md, "CSV"):
// the report's own field names and units, numbers only in numeric columns.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { download, toCsv, type Cell } from '../csv';

export interface Column<R> {
  key: string;
  label: string;
  /** The sortable value, and the exported one unless `csv` says otherwise. */
  value: (row: R) => Cell;
  /** How the cell looks (default: the value as text). */
  render?: (row: R) => ComponentChildren;
  numeric?: boolean;
  /** The CSV columns this column exports, named as `report --csv` names them (default: [key, value]). */
  csv?: Array<[string, (row: R) => Cell]>;
}

export function Table<R>(props: {
  title: string;
  rows: R[];
  columns: Column<R>[];
  csvName: string;
  initialSort?: string;
  testId?: string;
  extra?: ComponentChildren;
  /** One line under the title: what the rows count (people only, or raw). */
  note?: ComponentChildren;
  /** Columns every CSV row starts with (campaign, window), as in `report --csv`. */
  csvLead?: Array<[string, Cell]>;
  /** Said instead of an empty table when there are no rows. */
  empty?: string;
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
  const exportCsv = () => {
    const lead = props.csvLead ?? [];
    const cols = props.columns.flatMap((c) => c.csv ?? [[c.key, c.value] as [string, (row: R) => Cell]]);
    download(
      props.csvName,
      toCsv(
        [...lead.map(([h]) => h), ...cols.map(([h]) => h)],
        rows.map((r) => [...lead.map(([, v]) => v), ...cols.map(([, f]) => f(r))]),
      ),
    );
  };
  const toggle = (c: Column<R>) => setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: c.numeric === true });
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
      {props.note && (
        <p class="muted tablenote" data-testid={props.testId ? `${props.testId}-note` : undefined}>
          {props.note}
        </p>
      )}
      {rows.length === 0 && props.empty ? (
        <p class="muted empty" role="status">
          {props.empty}
        </p>
      ) : (
        <div class="tablewrap">
          <table class="data">
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th
                    key={c.key}
                    class={c.numeric ? 'num' : undefined}
                    aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                    scope="col"
                  >
                    <button type="button" class="sort" data-sort={c.key} onClick={() => toggle(c)}>
                      {c.label}
                      <span aria-hidden="true">{sort?.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}</span>
                    </button>
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
        </div>
      )}
    </section>
  );
}
