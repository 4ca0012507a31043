/** Arrows between related spans, drawn over the text (label at the top of each arc). */
import { useLayoutEffect, useState, type RefObject } from 'react';
import { labelsOf } from '../../editor/result';
import type { LabelSchema } from '../../editor/schema';
import type { EditorStore } from '../../editor/store';
import { useObservable } from '../../app/useObservable';

interface Arrow {
  id: string;
  d: string;
  label: string;
  x: number;
  y: number;
  start: boolean;
  end: boolean;
  selected: boolean;
}

interface Props {
  store: EditorStore;
  schema: LabelSchema;
  container: RefObject<HTMLDivElement | null>;
  objectName: string;
}

function anchor(root: HTMLElement, regionId: string): { x: number; y: number } | null {
  const el = root.querySelector(`[data-region="${CSS.escape(regionId)}"]`) ?? root.querySelector(`[data-tag-for="${CSS.escape(regionId)}"]`);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const base = root.getBoundingClientRect();
  return { x: r.left - base.left + r.width / 2 + root.scrollLeft, y: r.top - base.top + root.scrollTop };
}

export function RelationArrows({ store, container, objectName }: Props) {
  const { results, selectedId } = useObservable(store);
  const [arrows, setArrows] = useState<Arrow[]>([]);
  const relations = results.filter((r) => r.type === 'relation');
  useLayoutEffect(() => {
    const root = container.current;
    if (!root || relations.length === 0) {
      setArrows((prev) => (prev.length === 0 ? prev : []));
      return;
    }
    const spanIds = new Set(results.filter((r) => r.object === objectName).map((r) => r.id));
    const next: Arrow[] = [];
    for (const rel of relations) {
      const from = String(rel.value.from_id);
      const to = String(rel.value.to_id);
      if (!spanIds.has(from) || !spanIds.has(to)) continue;
      const a = anchor(root, from);
      const b = anchor(root, to);
      if (!a || !b) continue;
      const top = Math.min(a.y, b.y) - 14;
      const dir = String(rel.value.direction ?? 'right');
      next.push({ id: rel.id, d: `M ${a.x} ${a.y} C ${a.x} ${top}, ${b.x} ${top}, ${b.x} ${b.y}`,
        label: labelsOf(rel).join(', '), x: (a.x + b.x) / 2, y: top + 2,
        start: dir === 'left' || dir === 'bi', end: dir === 'right' || dir === 'bi', selected: rel.id === selectedId });
    }
    setArrows(next);
  }, [results, selectedId, container, objectName]);
  if (arrows.length === 0) return null;
  return (
    <svg className="relations" aria-hidden="true">
      <defs>
        <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#333" />
        </marker>
      </defs>
      {arrows.map((a) => (
        <g key={a.id} className={a.selected ? 'relation selected' : 'relation'}>
          <path d={a.d} fill="none" markerStart={a.start ? 'url(#arrowhead)' : undefined}
            markerEnd={a.end ? 'url(#arrowhead)' : undefined} />
          <text x={a.x} y={a.y} textAnchor="middle">{a.label}</text>
        </g>
      ))}
    </svg>
  );
}
