/** One task being labelled: the store, a tool per object or control, and the actions. */
import { removeRegion, regionsInOrder, type Result } from './result';
import { dataKey, type ControlSpec, type LabelSchema } from './schema';
import { EditorStore, type EditorState } from './store';
import { AudioRegionTool } from './tools/audio-region/audioRegionTool';
import { toggleChoice } from './tools/choices/classification';
import { RelationTool } from './tools/relation/relationTool';
import { SpanTool } from './tools/span/spanTool';

/** What an audio/video renderer lets the keyboard do. */
export interface PlayerControls {
  playPause(): void;
  seek(deltaSeconds: number): void;
  speed(delta: number): void;
  zoom(factor: number): void;
  currentTime(): number;
}

/** What the page does for the editor. */
export interface SessionHooks {
  submit(): void;
  skip(): void;
  toggleHelp(): void;
  toggleGuidelines(): void;
}

const noHooks: SessionHooks = { submit() {}, skip() {}, toggleHelp() {}, toggleGuidelines() {} };

export class LabelingSession {
  readonly store: EditorStore;
  readonly spanTools = new Map<string, SpanTool>();
  readonly audioTools = new Map<string, AudioRegionTool>();
  readonly relationTools = new Map<string, RelationTool>();
  player: PlayerControls | null = null;

  constructor(readonly schema: LabelSchema, readonly data: Record<string, unknown>,
    public hooks: SessionHooks = noHooks, results: readonly Result[] = [],
    origin: EditorState['origin'] = 'empty') {
    this.store = new EditorStore(results, origin);
    for (const object of schema.objects) {
      const value = data[dataKey(object)];
      if (object.type === 'text') this.spanTools.set(object.name, new SpanTool(typeof value === 'string' ? value : '', object.name, this.store));
    }
    for (const control of schema.controls) {
      if (control.type === 'segment') this.audioTools.set(control.name, new AudioRegionTool(control, control.to[0] ?? '', this.store));
      if (control.type === 'relation') this.relationTools.set(control.name, new RelationTool(control, this.store));
    }
  }

  control(name: string): ControlSpec | undefined {
    return this.schema.controls.find((c) => c.name === name);
  }

  /** A label button or hotkey, whatever the control's kind. */
  applyLabel(control: ControlSpec, label: string): void {
    switch (control.type) {
      case 'choices':
        this.store.commit((rs) => toggleChoice(rs, control, label));
        break;
      case 'span':
        this.spanTools.get(control.to[0] ?? '')?.label(control, label);
        break;
      case 'segment':
        this.audioTools.get(control.name)?.label(label);
        break;
      case 'relation': {
        const selected = this.store.selected;
        if (selected?.type === 'relation' && selected.control === control.name) {
          this.relationTools.get(control.name)?.setLabel(selected.id, label);
        }
        break;
      }
      default:
        break;
    }
  }

  selectNext(direction: 1 | -1): void {
    const regions = regionsInOrder(this.store.results);
    if (regions.length === 0) return;
    const at = regions.findIndex((r) => r.id === this.store.getState().selectedId);
    const next = at < 0 ? (direction > 0 ? 0 : regions.length - 1) : (at + direction + regions.length) % regions.length;
    this.store.select(regions[next]?.id ?? null);
  }

  deleteSelected(): boolean {
    const id = this.store.getState().selectedId;
    if (!id) return false;
    this.store.commit((rs) => removeRegion(rs, id), { select: null });
    return true;
  }

  escape(): void {
    this.spanTools.forEach((t) => t.clear());
    this.relationTools.forEach((t) => t.cancel());
    this.audioTools.forEach((t) => t.cancel());
    this.store.select(null);
  }

  /** Starts a relation from the selected region with the first relation control that links it. */
  startRelation(): boolean {
    for (const tool of this.relationTools.values()) if (tool.start()) return true;
    return false;
  }

  /** A region was clicked: completes a pending relation, else selects it. */
  clickRegion(id: string): void {
    for (const tool of this.relationTools.values()) {
      if (tool.getState().kind === 'linking') {
        tool.pick(id);
        return;
      }
    }
    this.store.select(id);
  }

  markSegment(): void {
    const tool = this.audioTools.values().next().value;
    if (tool && this.player) tool.mark(this.player.currentTime());
  }

  /** The length of an object's media, as the server measured it (task meta) or a player did. */
  setDuration(objectName: string, seconds: number): void {
    this.audioTools.forEach((tool) => {
      if (tool.object === objectName) tool.setDuration(seconds);
    });
  }

  /** Reads the durations the server measured at import (`meta.media[object].duration`). */
  setMediaInfo(meta: Record<string, unknown>): void {
    const media = meta.media;
    if (typeof media !== 'object' || media === null) return;
    for (const [name, info] of Object.entries(media as Record<string, unknown>)) {
      const duration = typeof info === 'object' && info !== null ? (info as Record<string, unknown>).duration : undefined;
      if (typeof duration === 'number') this.setDuration(name, duration);
    }
  }

  hasMedia(): boolean {
    return this.schema.objects.some((o) => o.type === 'audio' || o.type === 'video');
  }
}
