/** Builds the explicit schema change operations (rename, merge, split, retire, add ...). */

export interface ChangeRow {
  op: string;
  control: string;
  from: string;
  to: string;
}

const OPS: Record<string, string> = {
  rename_label: 'Rename label', merge_labels: 'Merge labels (from: a, b)', split_label: 'Split label (into: a, b)',
  retire_label: 'Retire label', add_control: 'Add control', remove_control: 'Remove control', rename_control: 'Rename control',
};

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** A row as the API's change object. */
export function toChange(r: ChangeRow): Record<string, unknown> {
  switch (r.op) {
    case 'rename_label': return { op: r.op, control: r.control, from: r.from, to: r.to };
    case 'merge_labels': return { op: r.op, control: r.control, from: list(r.from), to: r.to };
    case 'split_label': return { op: r.op, control: r.control, from: r.from, into: list(r.to) };
    case 'retire_label': return { op: r.op, control: r.control, label: r.from };
    case 'rename_control': return { op: r.op, from: r.from, to: r.to };
    default: return { op: r.op, control: r.control };
  }
}

export function ChangeList({ rows, onRows }: { rows: ChangeRow[]; onRows: (rows: ChangeRow[]) => void }) {
  const set = (i: number, patch: Partial<ChangeRow>) => onRows(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)));
  return (
    <div className="changes">
      <h3>What changed (so existing annotations migrate)</h3>
      {rows.map((r, i) => (
        <div key={i} className="change-row">
          <select value={r.op} onChange={(e) => set(i, { op: e.target.value })} aria-label="Operation">
            {Object.entries(OPS).map(([op, title]) => <option key={op} value={op}>{title}</option>)}
          </select>
          {r.op !== 'rename_control' && <input placeholder="control" value={r.control} onChange={(e) => set(i, { control: e.target.value })} />}
          {!['add_control', 'remove_control'].includes(r.op) && <input placeholder={r.op === 'retire_label' ? 'label' : 'from'} value={r.from} onChange={(e) => set(i, { from: e.target.value })} />}
          {['rename_label', 'merge_labels', 'split_label', 'rename_control'].includes(r.op) && (
            <input placeholder={r.op === 'split_label' ? 'into (a, b)' : 'to'} value={r.to} onChange={(e) => set(i, { to: e.target.value })} />
          )}
          <button type="button" className="link" onClick={() => onRows(rows.filter((_, j) => j !== i))}>remove</button>
        </div>
      ))}
      <button type="button" onClick={() => onRows([...rows, { op: 'rename_label', control: '', from: '', to: '' }])}>Add a change</button>
    </div>
  );
}
