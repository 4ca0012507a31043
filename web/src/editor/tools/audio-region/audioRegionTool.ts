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

/** A time this close to the media's end is its end: the server accepts an overshoot under 1 ms
 * (players round the duration) and stores it as the duration, so the editor does the same. */
export const END_SNAP_SECONDS = 0.001;

export class AudioRegionTool extends Observable<AudioToolState> {
  constructor(readonly control: ControlSpec, readonly object: string, private readonly store: EditorStore,
    private duration = Infinity) {
    super({ kind: 'idle', activeLabel: control.labels[0]?.value ?? null });
  }

  /** A measured length of the media (the server's, the player's): the shortest one bounds
   * segments, so what the player shows can always be saved. */
  setDuration(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0) this.duration = Math.min(this.duration, seconds);
  }

  private clamp(t: number): number {
    return Math.max(0, Math.min(this.duration, t));
  }

  /** A time as stored: inside the media, to the millisecond, and the exact duration at the end
   * (rounding 1.55288 s up to 1.553 s would put it past the end). */
  private stored(t: number): number {
    const clamped = this.clamp(t);
    return this.duration - clamped < END_SNAP_SECONDS ? this.duration : round(clamped);
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
    const start = this.stored(Math.min(a, b));
    const end = this.stored(Math.max(a, b));
    if (end - start < MIN_SEGMENT_SECONDS) return null;
    const label = this.state.activeLabel;
    const segment: Result = { id: newId(), control: this.control.name, object: this.object, type: 'segment',
      value: { start, end, labels: label ? [label] : [] } };
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
      ? withValue(r, { start: this.stored(Math.min(start, end)), end: this.stored(Math.max(start, end)) })
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
