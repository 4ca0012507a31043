/** The data manager: a virtualized, sortable, filterable table of a project's tasks. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type TaskCount, type TaskRow } from '../../../../api/endpoints';
import type { LabelSchema } from '../../../../editor/schema';
import { ErrorList } from '../../../components/ErrorList';
import { navigate } from '../../../router';
import { useUser } from '../../../userContext';
import { DataPreview, shortDate, statusOf } from './cells';
import { exportSelected } from './exportSelected';
import { countText, emptyText, listLength } from './listCount';
import { loadPrefs, savePrefs, type Column, type DmPrefs } from './prefs';
import { Toolbar } from './Toolbar';
import { useTaskPager } from './useTaskPager';
import { VirtualRows } from './VirtualRows';

const ROW = 44;
const SORTS: Partial<Record<Column, string>> = { id: 'id', annotators: 'annotation_count', created: 'created_at', updated: 'updated_at' };
const TITLES: Record<Column, string> = { id: 'ID', data: 'Data', status: 'Status', annotators: 'Annotations', score: 'Prediction score', created: 'Created', updated: 'Updated' };

function cell(c: Column, t: TaskRow, schema: LabelSchema) {
  switch (c) {
    case 'id': return t.id;
    case 'data': return <DataPreview task={t} schema={schema} />;
    case 'status': return <span className={`status ${statusOf(t).replace(' ', '-')}`}>{statusOf(t)}</span>;
    case 'annotators': return t.annotation_count;
    case 'score': return t.prediction_score == null ? '' : t.prediction_score.toFixed(2);
    case 'created': return shortDate(t.created_at);
    case 'updated': return shortDate(t.updated_at);
  }
}

export function DataManager({ projectId, schema }: { projectId: number; schema: LabelSchema }) {
  const userId = useUser()?.id ?? 0;
  const [prefs, setPrefsState] = useState<DmPrefs>(() => loadPrefs(userId, projectId));
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const setPrefs = (p: DmPrefs) => { savePrefs(userId, projectId, p); setPrefsState(p); };
  const query = useMemo(() => ({ sort: prefs.sort, order: prefs.order, status: prefs.status || null, q: q || null }), [prefs.sort, prefs.order, prefs.status, q]);
  const { state, ensure, removeIds } = useTaskPager(projectId, query);
  const onRange = useCallback((_: number, last: number) => ensure(last + 20), [ensure]);
  const rows = state?.rows ?? [];
  const total = state?.total ?? 0;
  const filtered = Boolean(query.status || query.q);
  const [deletions, setDeletions] = useState(0);
  const count = useFilteredCount(projectId, filtered ? query : null, deletions);
  const facts = { filtered, loaded: rows.length, more: state?.more ?? true, total, count };
  const empty = state?.loading ? null : emptyText(facts);
  const grid = prefs.columns.map((c) => (c === 'data' ? 'minmax(200px, 4fr)' : c === 'id' ? '90px' : 'minmax(90px, 1fr)')).join(' ');

  const toggle = (id: number) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const sortBy = (c: Column) => {
    const s = SORTS[c];
    if (s) setPrefs({ ...prefs, sort: s, order: prefs.sort === s && prefs.order === 'asc' ? 'desc' : 'asc' });
  };
  const del = () => {
    if (!window.confirm(`Delete ${selected.size} task(s) and their annotations?`)) return;
    api.deleteTasks(projectId, [...selected]).then(() => {
      removeIds(selected);
      setSelected(new Set());
      setDeletions((n) => n + 1);
    }, setError);
  };

  return (
    <div className="datamanager" data-total={total} data-loaded={rows.length} data-first-ms={state?.firstMs ?? ''} data-last-ms={state?.lastMs ?? ''}>
      <Toolbar prefs={prefs} onPrefs={setPrefs} q={q} onQ={setQ} selected={selected.size} onDelete={del}
        onExport={() => void exportSelected(projectId, selected).catch(setError)} onClear={() => setSelected(new Set())}
        onOpen={() => navigate(`/projects/${projectId}/label?task=${[...selected][0]}`)} />
      <ErrorList error={error ?? state?.error} />
      <div className="dm-head" style={{ gridTemplateColumns: `32px ${grid}` }} role="row">
        <input type="checkbox" aria-label="Select loaded" checked={rows.length > 0 && selected.size >= rows.length}
          onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())} />
        {prefs.columns.map((c) => (
          <button key={c} type="button" className="th" onClick={() => sortBy(c)} disabled={!SORTS[c]}>
            {TITLES[c]}{SORTS[c] === prefs.sort ? (prefs.order === 'asc' ? ' ▲' : ' ▼') : ''}
          </button>
        ))}
      </div>
      {empty && (
        <div className="dm-empty card" data-empty={filtered ? 'filtered' : 'project'}>
          {empty}
          {filtered && <button type="button" className="link" onClick={() => { setQ(''); setPrefs({ ...prefs, status: '' }); }}>Show all tasks</button>}
        </div>
      )}
      <VirtualRows count={listLength(facts)} rowHeight={ROW} height={Math.max(300, window.innerHeight - 260)} onRange={onRange}
        renderRow={(i, top) => {
          const t = rows[i];
          const style = { top, height: ROW, gridTemplateColumns: `32px ${grid}` };
          if (!t) return <div key={i} className="dm-row placeholder" style={style}>…</div>;
          return (
            <div key={t.id} className={selected.has(t.id) ? 'dm-row selected' : 'dm-row'} style={style} role="row" data-task={t.id}
              onClick={() => navigate(`/projects/${projectId}/tasks/${t.id}`)}>
              <input type="checkbox" checked={selected.has(t.id)} onClick={(e) => e.stopPropagation()} onChange={() => toggle(t.id)} aria-label={`Select task ${t.id}`} />
              {prefs.columns.map((c) => <span key={c} className={`td ${c}`}>{cell(c, t, schema)}</span>)}
            </div>
          );
        }} />
      <div className="muted dm-foot" data-count={filtered ? (count?.count ?? '') : total}>
        {countText(facts)} · {rows.length.toLocaleString('en-US')} loaded{state?.loading ? ' · loading…' : ''}
      </div>
    </div>
  );
}

/** The count of the filtered tasks (null while it comes, or without filters); asked apart from
 * the pages so the first rows never wait for it. */
function useFilteredCount(projectId: number, query: { status: string | null; q: string | null } | null,
  deletions: number): TaskCount | null {
  const [count, setCount] = useState<TaskCount | null>(null);
  const key = query ? JSON.stringify([query.status, query.q]) : null;
  useEffect(() => {
    setCount(null);
    if (!key) return;
    const [status, q] = JSON.parse(key) as [string | null, string | null];
    const controller = new AbortController();
    api.taskCount(projectId, { status, q }, controller.signal).then(setCount, () => undefined);
    return () => controller.abort();
  }, [projectId, key, deletions]);
  return count;
}
