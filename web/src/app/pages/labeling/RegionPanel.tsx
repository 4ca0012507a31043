/** The regions list (spans, segments, relations) and the selected region's details. */
import { memo } from 'react';
import { childOf, labelsOf, regionsInOrder, setChildText, type Result } from '../../../editor/result';
import type { LabelingSession } from '../../../editor/session';
import { useObservable } from '../../useObservable';

function describe(r: Result, all: readonly Result[]): string {
  if (r.type === 'span') return `“${String(r.value.text ?? '').slice(0, 40)}”`;
  if (r.type === 'segment') return `${Number(r.value.start).toFixed(2)}–${Number(r.value.end).toFixed(2)} s`;
  const name = (id: unknown) => {
    const x = all.find((a) => a.id === id);
    return x ? String(x.value.text ?? labelsOf(x)[0] ?? x.id).slice(0, 20) : '?';
  };
  const arrow = r.value.direction === 'left' ? '←' : r.value.direction === 'bi' ? '↔' : '→';
  return `${name(r.value.from_id)} ${arrow} ${name(r.value.to_id)}`;
}

function Details({ region, session, readOnly }: { region: Result; session: LabelingSession; readOnly?: boolean }) {
  const { results } = useObservable(session.store);
  const perRegion = session.schema.controls.filter((c) => c.type === 'textarea' && c.per_region && c.to.includes(region.object));
  const relationTool = session.relationTools.get(region.control);
  return (
    <div className="region-details">
      {region.type !== 'relation' && perRegion.map((c) => {
        const text = childOf(results, region.id, c.name)?.value.text;
        return (
          <label key={c.name}>{c.name}
            <textarea rows={3} name={`${c.name}-${region.id}`} disabled={readOnly} data-transcript-for={region.id}
              value={Array.isArray(text) ? String(text[0] ?? '') : ''}
              onChange={(e) => session.store.commit((rs) => setChildText(rs, region.id, c.name, e.target.value),
                { coalesce: `text:${region.id}` })} />
          </label>
        );
      })}
      {relationTool && !readOnly && (
        <button type="button" className="small" onClick={() => relationTool.cycleDirection(region.id)}>Direction: {String(region.value.direction)}</button>
      )}
      {!readOnly && <button type="button" className="small danger" onClick={() => session.deleteSelected()}>Delete region</button>}
    </div>
  );
}

interface RowProps {
  region: Result;
  selected: boolean;
  text: string;
  session: LabelingSession;
  readOnly?: boolean;
}

/** One region; memoized so adding a region to thousands re-renders one row. */
const RegionRow = memo(function RegionRow({ region, selected, text, session, readOnly }: RowProps) {
  return (
    <li className={selected ? 'selected' : ''} data-region-id={region.id}>
      <button type="button" className="link" onClick={() => session.clickRegion(region.id)}>
        <strong>{labelsOf(region).join(', ') || '—'}</strong> {text}
      </button>
      {selected && <Details region={region} session={session} readOnly={readOnly} />}
    </li>
  );
});

export function RegionPanel({ session, readOnly }: { session: LabelingSession; readOnly?: boolean }) {
  const { results, selectedId } = useObservable(session.store);
  const regions = regionsInOrder(results);
  if (!session.schema.controls.some((c) => ['span', 'segment', 'relation'].includes(c.type))) return null;
  return (
    <div className="regions">
      <h3>Regions ({regions.length})</h3>
      <ol className="region-list">
        {regions.map((r) => (
          <RegionRow key={r.id} region={r} selected={r.id === selectedId} session={session} readOnly={readOnly}
            text={describe(r, r.type === 'relation' ? results : [])} />
        ))}
      </ol>
    </div>
  );
}
