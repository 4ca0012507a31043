/** A text object: spans as highlighted segments, mouse and keyboard selection, relation arrows. */
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { labelsOf, type Result } from '../../editor/result';
import { labelColor, type LabelSchema } from '../../editor/schema';
import type { EditorStore } from '../../editor/store';
import { SpanTool } from '../../editor/tools/span/spanTool';
import { useObservable } from '../../app/useObservable';
import { withAlpha } from './colors';
import { selectionRange } from './domOffsets';
import { RelationArrows } from './RelationArrows';
import { buildSegments, type Mark } from './segments';
import { TextSegment, type SegmentProps } from './TextSegment';

interface Props {
  objectName: string;
  schema: LabelSchema;
  store: EditorStore;
  tool: SpanTool;
  readOnly?: boolean;
  onRegionClick: (id: string) => void;
}

function spanInfo(schema: LabelSchema, r: Result): { color: string; label: string } {
  const label = labelsOf(r)[0] ?? '';
  return { color: labelColor(schema.controls.find((c) => c.name === r.control), label), label: labelsOf(r).join(', ') };
}

/** Offsets where a paragraph starts (after each newline): blocks the browser can skip laying out. */
function paragraphStarts(text: string): number[] {
  const starts: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Groups segments into paragraph blocks (content-visibility: auto keeps long texts fast). */
function blocks(segments: SegmentProps[], starts: Set<number>): SegmentProps[][] {
  const out: SegmentProps[][] = [[]];
  for (const s of segments) {
    if (starts.has(s.start) && (out[out.length - 1]?.length ?? 0) > 0) out.push([]);
    out[out.length - 1]?.push(s);
  }
  return out;
}

function useSegmentProps(p: Props): SegmentProps[] {
  const { results, selectedId } = useObservable(p.store);
  const toolState = useObservable(p.tool);
  const text = p.tool.text;
  const spans = useMemo(() => results.filter((r) => r.type === 'span' && r.object === p.objectName), [results, p.objectName]);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  const marks: Mark[] = useMemo(() => spans.map((s) => ({ id: s.id, start: Number(s.value.start), end: Number(s.value.end) })), [spans]);
  const sel = p.tool.selection();
  const paragraphs = useMemo(() => paragraphStarts(text), [text]);
  const cuts = sel ? [toolState.caret, sel.start, sel.end] : [toolState.caret];
  const segments = useMemo(() => buildSegments(text.length, marks, [...paragraphs, ...cuts]),
    [text.length, marks, paragraphs, cuts.join(',')]);
  return useMemo(() => segments.map((seg) => {
    const covering = seg.marks.map((id) => byId.get(id)).filter((r): r is Result => r !== undefined);
    const inner = covering[covering.length - 1];
    const info = inner ? spanInfo(p.schema, inner) : null;
    const outer = covering.slice(0, -1).slice(-3).map((r, i) => `inset 0 -${(i + 1) * 3}px 0 ${spanInfo(p.schema, r).color}`);
    const classes = ['seg'];
    if (inner) classes.push('mark');
    if (covering.some((r) => r.id === selectedId)) classes.push('selected');
    if (sel && seg.start >= sel.start && seg.end <= sel.end) classes.push('pending');
    if (seg.start === toolState.caret && !toolState.dragging) classes.push('caret');
    return {
      start: seg.start, text: text.slice(seg.start, seg.end), className: classes.join(' '),
      background: info ? withAlpha(info.color, 0.3) : undefined, shadow: outer.length ? outer.join(', ') : undefined,
      regionId: inner?.id,
      tags: seg.endsHere.length ? seg.endsHere.map((id) => {
        const r = byId.get(id);
        const i = r ? spanInfo(p.schema, r) : { color: '#888', label: '' };
        return { id, label: i.label, color: i.color, end: seg.end };
      }) : undefined,
    };
  }), [segments, byId, selectedId, sel?.start, sel?.end, toolState.caret, toolState.dragging, text, p.schema]);
}

const CARET_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

export function TextView(p: Props) {
  const root = useRef<HTMLDivElement>(null);
  const segments = useSegmentProps(p);
  const { selectedId } = useObservable(p.store);
  const length = p.tool.text.length;

  const starts = useMemo(() => new Set(paragraphStarts(p.tool.text)), [p.tool.text]);
  useEffect(() => {
    if (!selectedId || !root.current) return;
    // after the frame is painted: measuring a long text forces a layout
    const frame = requestAnimationFrame(() => root.current?.querySelector(`[data-tag-for="${CSS.escape(selectedId)}"]`)
      ?.scrollIntoView({ block: 'nearest' }));
    return () => cancelAnimationFrame(frame);
  }, [selectedId]);

  const onMouseUp = (e: React.MouseEvent) => {
    if (!root.current || p.readOnly) return;
    const range = selectionRange(root.current, length);
    if (range) {
      p.tool.setRange(range[0], range[1]);
      window.getSelection()?.removeAllRanges();
      root.current.focus({ preventScroll: true });
      return;
    }
    const target = e.target as HTMLElement;
    const region = target.closest('[data-region]')?.getAttribute('data-region')
      ?? target.closest('[data-tag-for]')?.getAttribute('data-tag-for');
    if (region) p.onRegionClick(region);
    else p.tool.clear();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (p.readOnly || e.altKey || !CARET_KEYS.has(e.key)) return;
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Home' || e.key === 'End') p.tool.moveTo(e.key === 'Home' ? 0 : length, e.shiftKey);
    else p.tool.move(e.key === 'ArrowLeft' ? -1 : 1, { extend: e.shiftKey, word: e.ctrlKey || e.metaKey });
  };

  return (
    <div className="textview-wrap">
      <div ref={root} className="textview" tabIndex={0} onMouseUp={onMouseUp} onKeyDown={onKeyDown}
        data-object={p.objectName} aria-label="Text to label: select with the mouse or Shift+Arrows, then press a label key">
        {blocks(segments, starts).map((block) => (
          <div key={block[0]?.start ?? 0} className="tblock">
            {block.map((s) => <TextSegment key={s.start} {...s} />)}
          </div>
        ))}
      </div>
      <RelationArrows store={p.store} schema={p.schema} container={root} objectName={p.objectName} />
    </div>
  );
}
