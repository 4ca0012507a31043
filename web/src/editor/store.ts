/** The headless editor: the results of one annotation, the selection, and undo/redo. */
import { Observable } from './observable';
import type { Result } from './result';

export interface EditorState {
  results: readonly Result[];
  selectedId: string | null;
  /** Bumped on every change of results: autosave compares it with the last saved one. */
  revision: number;
  /** Where the results came from when loaded: untouched predictions are marked as such. */
  origin: 'empty' | 'draft' | 'annotation' | 'prediction';
  canUndo: boolean;
  canRedo: boolean;
}

interface Snapshot {
  results: readonly Result[];
  selectedId: string | null;
}

interface CommitOptions {
  select?: string | null;
  /** Consecutive commits with the same key within a second merge into one undo step (typing). */
  coalesce?: string;
}

const HISTORY_LIMIT = 500;
const COALESCE_MS = 1000;

export class EditorStore extends Observable<EditorState> {
  private past: Snapshot[] = [];
  private future: Snapshot[] = [];
  private lastCoalesce: { key: string; at: number } | null = null;

  constructor(results: readonly Result[] = [], origin: EditorState['origin'] = 'empty') {
    super({ results, selectedId: null, revision: 0, origin, canUndo: false, canRedo: false });
  }

  get results(): readonly Result[] {
    return this.state.results;
  }

  get selected(): Result | undefined {
    return this.state.results.find((r) => r.id === this.state.selectedId);
  }

  /** Replaces everything (a task opened): history starts over. */
  load(results: readonly Result[], origin: EditorState['origin']): void {
    this.past = [];
    this.future = [];
    this.lastCoalesce = null;
    this.setState({ results, selectedId: null, revision: this.state.revision + 1, origin,
      canUndo: false, canRedo: false });
  }

  /** Applies a change to the results as one undoable step. */
  commit(change: (results: readonly Result[]) => readonly Result[], options: CommitOptions = {}): void {
    const next = change(this.state.results);
    if (next === this.state.results) return;
    const now = Date.now();
    const merge = options.coalesce !== undefined && this.lastCoalesce?.key === options.coalesce
      && now - this.lastCoalesce.at < COALESCE_MS;
    if (!merge) {
      this.past.push({ results: this.state.results, selectedId: this.state.selectedId });
      if (this.past.length > HISTORY_LIMIT) this.past.shift();
    }
    this.lastCoalesce = options.coalesce === undefined ? null : { key: options.coalesce, at: now };
    this.future = [];
    const selectedId = options.select === undefined ? this.keepSelection(next) : options.select;
    this.update(next, selectedId);
  }

  select(id: string | null): void {
    if (id === this.state.selectedId) return;
    this.setState({ ...this.state, selectedId: id });
  }

  undo(): void {
    const previous = this.past.pop();
    if (!previous) return;
    this.future.push({ results: this.state.results, selectedId: this.state.selectedId });
    this.lastCoalesce = null;
    this.update(previous.results, previous.selectedId);
  }

  redo(): void {
    const next = this.future.pop();
    if (!next) return;
    this.past.push({ results: this.state.results, selectedId: this.state.selectedId });
    this.lastCoalesce = null;
    this.update(next.results, next.selectedId);
  }

  private keepSelection(results: readonly Result[]): string | null {
    const id = this.state.selectedId;
    return id !== null && results.some((r) => r.id === id) ? id : null;
  }

  private update(results: readonly Result[], selectedId: string | null): void {
    const origin = this.state.origin === 'prediction' ? 'draft' : this.state.origin;
    this.setState({ results, selectedId, revision: this.state.revision + 1,
      origin: origin === 'empty' ? 'draft' : origin,
      canUndo: this.past.length > 0, canRedo: this.future.length > 0 });
  }
}
