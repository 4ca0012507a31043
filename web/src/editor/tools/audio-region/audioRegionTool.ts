/** The audio-region tool: draw a segment with the pointer or mark start/end by keyboard. */
import { Observable } from '../../observable';
import { labelsOf, newId, setChildText, withValue, type Result } from '../../result';
import type { ControlSpec } from '../../schema';
import type { EditorStore } from '../../store';

export type AudioToolState =
  | { kind: 'idle'; activeLabel: string | null }
  | { kind: 'drawing'; start: number; current: number; activeLabel: string | null }
  | { kind: 'marking'; start: number; activeLabel: string | null };

/** Shorter drags are clicks (seek), not segments. */
export const MIN_SEGMENT_SECONDS = 0.05;

export class AudioRegionTool extends Observable<AudioToolState> {
  constructor(readonly control: ControlSpec, readonly object: string, private readonly store: EditorStore,
    private duration = Infinity) {
    super({ kind: 'idle', activeLabel: control.labels[0]?.value ?? null });
  }

  setDuration(seconds: number): void {
    this.duration = seconds;
  }

  private clamp(t: number): number {
    return Math.max(0, Math.min(this.duration, t));
  }

  pointerDown(t: number): void {
    this.setState({ kind: 'drawing', start: this.clamp(t), current: this.clamp(t), activeLabel: this.state.activeLabel });
  }

  pointerMove(t: number): void {
    if (this.state.kind === 'drawing') this.setState({ ...this.state, current: this.clamp(t) });
  }

  /** Ends a drag: a segment when long enough; returns its id. */
  pointerUp(t: number): string | null {
    if (this.state.kind !== 'drawing') return null;
    const { start } = this.state;
    this.setState({ kind: 'idle', activeLabel: this.state.activeLabel });
    return this.add(start, this.clamp(t));
  }

  /** Keyboard: the first press marks the start, the second the end. */
  mark(t: number): string | null {
    if (this.state.kind === 'marking') {
      const { start } = this.state;
      this.setState({ kind: 'idle', activeLabel: this.state.activeLabel });
      return this.add(start, this.clamp(t));
    }
    this.setState({ kind: 'marking', start: this.clamp(t), activeLabel: this.state.activeLabel });
    return null;
  }

  cancel(): void {
    this.setState({ kind: 'idle', activeLabel: this.state.activeLabel });
  }

  /** Adds a segment from a renderer (e.g. wavesurfer's drag selection). */
  add(a: number, b: number): string | null {
    const start = Math.min(a, b);
    const end = Math.max(a, b);
    if (end - start < MIN_SEGMENT_SECONDS) return null;
    const label = this.state.activeLabel;
    const segment: Result = { id: newId(), control: this.control.name, object: this.object, type: 'segment',
      value: { start: round(start), end: round(end), labels: label ? [label] : [] } };
    this.store.commit((rs) => [...rs, segment], { select: segment.id });
    return segment.id;
  }

  /** A label hotkey: relabels the selected segment, and becomes the label of the next ones. */
  label(label: string): void {
    this.setState({ ...this.state, activeLabel: label });
    const selected = this.store.selected;
    if (selected?.type === 'segment' && selected.control === this.control.name && labelsOf(selected)[0] !== label) {
      this.store.commit((rs) => rs.map((r) => (r.id === selected.id ? withValue(r, { labels: [label] }) : r)));
    }
  }

  /** A segment moved or resized on the waveform. */
  update(id: string, start: number, end: number): void {
    this.store.commit((rs) => rs.map((r) => (r.id === id
      ? withValue(r, { start: round(this.clamp(Math.min(start, end))), end: round(this.clamp(Math.max(start, end))) })
      : r)));
  }

  /** Writes the per-region transcript of a segment (typing coalesces into one undo step). */
  setTranscript(regionId: string, textControl: ControlSpec, text: string): void {
    this.store.commit((rs) => setChildText(rs, regionId, textControl.name, text), { coalesce: `transcript:${regionId}` });
  }
}

function round(t: number): number {
  return Math.round(t * 1000) / 1000;
}
