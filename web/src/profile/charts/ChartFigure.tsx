import { useId, useState, type ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => string | number;
  /** Numbers are right-aligned. */
  numeric?: boolean;
}

/** The numbers behind a chart, as a real table (its caption is the chart's title). */
export function DataTable<Row>({ caption, columns, rows, empty = 'No data.' }: { caption: string; columns: Array<Column<Row>>; rows: Row[]; empty?: string }) {
  return (
    <table className="pc-table">
      <caption>{caption}</caption>
      <thead>
        <tr>{columns.map((c) => <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>{c.header}</th>)}</tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr><td colSpan={columns.length} className="empty">{empty}</td></tr>
        )}
        {rows.map((row, i) => (
          <tr key={i}>
            {columns.map((c, j) => (j === 0
              ? <th key={c.header} scope="row">{c.cell(row)}</th>
              : <td key={c.header} className={c.numeric ? 'num' : undefined}>{c.cell(row)}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A chart card: a text title, a one-line note on what is counted, the chart (hidden from screen
 * readers) and the same numbers as a table, visually hidden until "Show as table" swaps them.
 */
export function ChartFigure({ name, title, note, chart, table }: { name: string; title: string; note?: ReactNode; chart: ReactNode; table: ReactNode }) {
  const [asTable, setAsTable] = useState(false);
  const id = useId();
  return (
    <figure className="pc-card" aria-labelledby={`${id}-title`} data-chart={name}>
      <div className="pc-head">
        <h3 id={`${id}-title`}>{title}</h3>
        <button type="button" className="small pc-toggle" aria-expanded={asTable} aria-controls={`${id}-table`} onClick={() => setAsTable(!asTable)}>
          {asTable ? 'Show as chart' : 'Show as table'}
        </button>
      </div>
      {note && <p className="pc-note">{note}</p>}
      <div className="pc-body" hidden={asTable}>{chart}</div>
      <div id={`${id}-table`} className={asTable ? 'pc-table-wrap' : 'visually-hidden'}>{table}</div>
    </figure>
  );
}
