/** The span tool: a caret and a selection over one text (UTF-16), and labelling it. The caret
 * and the ends of a new selection sit between grapheme clusters; spans already stored are left
 * as they are, even when they cut a cluster. */
import { graphemeFloor, snapToGraphemes } from '../../../geometry/graphemes';
import { Observable } from '../../observable';
import { labelsOf, newId, withValue, type Result } from '../../result';
import type { ControlSpec } from '../../schema';
import type { EditorStore } from '../../store';
import { snapToWords, stepLeft, stepRight, wordLeft, wordRight } from './words';

export interface SpanToolState {
  /** UTF-16 offset of the keyboard caret, between two grapheme clusters. */
  caret: number;
  /** The other end of the selection, or null when nothing is selected. */
  anchor: number | null;
  dragging: boolean;
  snap: boolean;
}

export interface Range {
  start: number;
  end: number;
}

export interface MoveOptions {
  extend?: boolean;
  word?: boolean;
}

export class SpanTool extends Observable<SpanToolState> {
  constructor(readonly text: string, readonly object: string, private readonly store: EditorStore,
    snap = false) {
    super({ caret: 0, anchor: null, dragging: false, snap });
  }

  /** The selected range (snapped to words when on), or null. */
  selection(): Range | null {
    const { caret, anchor, snap } = this.state;
    if (anchor === null || anchor === caret) return null;
    const start = Math.min(anchor, caret);
    const end = Math.max(anchor, caret);
    if (!snap) return { start, end };
    const [s, e] = snapToWords(this.text, start, end);
    return s < e ? { start: s, end: e } : null;
  }

  setSnap(snap: boolean): void {
    this.setState({ ...this.state, snap });
  }

  /** The selection between anchor and caret, widened to whole clusters (a drag ending inside
   * 👨🏻‍🚒 takes all of it). */
  private snapped(anchor: number, caret: number): { anchor: number; caret: number } {
    const [start, end] = snapToGraphemes(this.text, Math.min(anchor, caret), Math.max(anchor, caret));
    return anchor <= caret ? { anchor: start, caret: end } : { anchor: end, caret: start };
  }

  pointerDown(offset: number): void {
    const at = graphemeFloor(this.text, offset);
    this.setState({ ...this.state, caret: at, anchor: at, dragging: true });
  }

  pointerMove(offset: number): void {
    if (this.state.dragging) this.setState({ ...this.state, caret: graphemeFloor(this.text, offset) });
  }

  pointerUp(offset: number): void {
    const { anchor } = this.state;
    const at = graphemeFloor(this.text, offset);
    if (anchor === null || anchor === at) {
      this.setState({ ...this.state, caret: at, anchor: null, dragging: false });
      return;
    }
    this.setState({ ...this.state, ...this.snapped(anchor, offset), dragging: false });
  }

  /** A selection made by the browser (mouse), converted to offsets by the renderer. */
  setRange(start: number, end: number): void {
    this.setState({ ...this.state, ...this.snapped(start, end), dragging: false });
  }

  clear(): void {
    this.setState({ ...this.state, anchor: null, dragging: false });
  }

  /** Moves the caret one grapheme cluster or word; `extend` grows the selection like Shift+Arrow. */
  move(direction: -1 | 1, options: MoveOptions = {}): void {
    const { caret } = this.state;
    const step = direction > 0 ? (options.word ? wordRight : stepRight) : (options.word ? wordLeft : stepLeft);
    const next = step(this.text, caret);
    const anchor = options.extend ? (this.state.anchor ?? caret) : null;
    this.setState({ ...this.state, caret: next, anchor });
  }

  /** Moves the caret to an offset (Home/End); `extend` keeps the selection's anchor. */
  moveTo(offset: number, extend = false): void {
    const caret = graphemeFloor(this.text, offset);
    this.setState({ ...this.state, caret, anchor: extend ? (this.state.anchor ?? this.state.caret) : null });
  }

  /**
   * A label hotkey: labels the selection as a new span, or relabels the selected span.
   * Returns the id of the span created or changed, or null when there was nothing to label.
   */
  label(control: ControlSpec, label: string): string | null {
    const range = this.selection();
    if (range) return this.create(control, label, range);
    const selected = this.store.selected;
    if (selected && selected.type === 'span' && selected.control === control.name) {
      const labels = labelsOf(selected);
      const next = labels.includes(label) && labels.length > 1 ? labels.filter((l) => l !== label)
        : control.multiple ? [...labels, label] : [label];
      this.store.commit((rs) => rs.map((r) => (r.id === selected.id ? withValue(r, { labels: next }) : r)));
      return selected.id;
    }
    return null;
  }

  private create(control: ControlSpec, label: string, range: Range): string {
    const duplicate = this.store.results.find((r) => r.control === control.name
      && r.value.start === range.start && r.value.end === range.end && labelsOf(r).includes(label));
    this.clear();
    if (duplicate) {
      this.store.select(duplicate.id);
      return duplicate.id;
    }
    const span: Result = { id: newId(), control: control.name, object: this.object, type: 'span',
      value: { start: range.start, end: range.end, text: this.text.slice(range.start, range.end), labels: [label] } };
    this.store.commit((rs) => [...rs, span], { select: span.id });
    this.setState({ ...this.state, caret: range.end });
    return span.id;
  }
}
