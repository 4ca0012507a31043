/** Search, status filter, column choices and actions on the selected tasks. */
import { useEffect, useState } from 'react';
import { ALL_COLUMNS, type Column, type DmPrefs } from './prefs';

interface Props {
  prefs: DmPrefs;
  onPrefs: (p: DmPrefs) => void;
  q: string;
  onQ: (q: string) => void;
  selected: number;
  onDelete: () => void;
  onExport: () => void;
  onOpen: () => void;
  onClear: () => void;
}

const STATUSES = ['', 'unlabeled', 'skipped', 'incomplete', 'completed', 'relabel'];

export function Toolbar(p: Props) {
  const [text, setText] = useState(p.q);
  // the search cleared from outside (the empty list's "Show all tasks") clears the box too
  useEffect(() => setText((t) => (t.trim() === p.q ? t : p.q)), [p.q]);
  useEffect(() => {
    const t = window.setTimeout(() => p.onQ(text.trim()), 300);
    return () => window.clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  const toggleColumn = (c: Column) => {
    const columns = p.prefs.columns.includes(c) ? p.prefs.columns.filter((x) => x !== c) : ALL_COLUMNS.filter((x) => x === c || p.prefs.columns.includes(x));
    p.onPrefs({ ...p.prefs, columns });
  };
  return (
    <div className="dm-toolbar">
      <input type="search" placeholder="Search words (bro* for prefixes)…" title="Tasks holding every word; end a word with * to match its beginning" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search" />
      <select value={p.prefs.status} onChange={(e) => p.onPrefs({ ...p.prefs, status: e.target.value })} aria-label="Status filter">
        {STATUSES.map((s) => <option key={s} value={s}>{s || 'any status'}</option>)}
      </select>
      <details className="columns">
        <summary>Columns</summary>
        {ALL_COLUMNS.map((c) => (
          <label key={c}><input type="checkbox" checked={p.prefs.columns.includes(c)} onChange={() => toggleColumn(c)} /> {c}</label>
        ))}
      </details>
      <span className="spacer" />
      {p.selected > 0 && (
        <span className="selection-actions">
          {p.selected} selected
          <button type="button" onClick={p.onOpen}>Open in labeling</button>
          <button type="button" onClick={p.onExport}>Export JSONL</button>
          <button type="button" className="danger" onClick={p.onDelete}>Delete</button>
          <button type="button" className="link" onClick={p.onClear}>Clear</button>
        </span>
      )}
    </div>
  );
}
