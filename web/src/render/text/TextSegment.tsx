/** One piece of text between span boundaries; memoized so adding a span re-renders few. */
import { memo } from 'react';

export interface SegmentProps {
  start: number;
  text: string;
  background?: string;
  shadow?: string;
  className: string;
  regionId?: string;
  tags?: { id: string; label: string; color: string; end: number }[];
}

function tagsKey(tags: SegmentProps['tags']): string {
  return tags ? tags.map((t) => `${t.id}\u0000${t.label}\u0000${t.color}`).join('\u0001') : '';
}

/** Props are rebuilt on every change; equal content means no re-render (tags compared by value). */
function same(a: SegmentProps, b: SegmentProps): boolean {
  return a.start === b.start && a.text === b.text && a.background === b.background && a.shadow === b.shadow
    && a.className === b.className && a.regionId === b.regionId && tagsKey(a.tags) === tagsKey(b.tags);
}

export const TextSegment = memo(function TextSegment(p: SegmentProps) {
  return (
    <>
      <span data-s={p.start} data-region={p.regionId} className={p.className}
        style={p.background || p.shadow ? { background: p.background, boxShadow: p.shadow } : undefined}>{p.text}</span>
      {p.tags?.map((t) => (
        <span key={t.id} className="tag" data-pos={t.end} data-tag-for={t.id} style={{ background: t.color }}>{t.label}</span>
      ))}
    </>
  );
}, same);
