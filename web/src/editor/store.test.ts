import { describe, expect, it, vi } from 'vitest';
import type { Result } from './result';
import { EditorStore } from './store';

const r = (id: string): Result => ({ id, control: 'c', object: 'o', type: 'span', value: { start: 0, end: 1, labels: [] } });

describe('EditorStore', () => {
  it('undo and redo walk the history, a new change drops the redo branch', () => {
    const store = new EditorStore();
    store.commit((rs) => [...rs, r('a')]);
    store.commit((rs) => [...rs, r('b')]);
    expect(store.results.map((x) => x.id)).toEqual(['a', 'b']);
    store.undo();
    expect(store.results.map((x) => x.id)).toEqual(['a']);
    expect(store.getState().canRedo).toBe(true);
    store.redo();
    expect(store.results.map((x) => x.id)).toEqual(['a', 'b']);
    store.undo();
    store.commit((rs) => [...rs, r('c')]);
    expect(store.getState().canRedo).toBe(false);
    store.redo();
    expect(store.results.map((x) => x.id)).toEqual(['a', 'c']);
    store.undo();
    store.undo();
    store.undo();
    expect(store.results).toEqual([]);
    expect(store.getState().canUndo).toBe(false);
  });

  it('selection follows commits and is restored by undo', () => {
    const store = new EditorStore();
    store.commit((rs) => [...rs, r('a')], { select: 'a' });
    expect(store.selected?.id).toBe('a');
    store.commit((rs) => rs.filter((x) => x.id !== 'a'));
    expect(store.getState().selectedId).toBeNull();
    store.undo();
    expect(store.getState().selectedId).toBe('a');
    store.select(null);
    expect(store.selected).toBeUndefined();
  });

  it('coalesces typing into one undo step and bumps the revision on every change', () => {
    const store = new EditorStore();
    const rev0 = store.getState().revision;
    store.commit(() => [r('x')], { coalesce: 'text' });
    store.commit(() => [r('y')], { coalesce: 'text' });
    store.commit(() => [r('z')], { coalesce: 'text' });
    expect(store.getState().revision).toBe(rev0 + 3);
    store.undo();
    expect(store.results).toEqual([]);
  });

  it('an edit after undo is its own step, even with the same coalescing key', () => {
    const store = new EditorStore();
    store.commit(() => [r('x')], { coalesce: 'text' });
    store.undo();
    expect(store.results).toEqual([]);
    store.commit(() => [r('y')], { coalesce: 'text' });
    expect(store.getState().canUndo).toBe(true);
    store.undo();
    expect(store.results).toEqual([]);
    expect(store.getState().canUndo).toBe(false);
  });

  it('an edit after redo is its own step, even with the same coalescing key', () => {
    const store = new EditorStore();
    store.commit(() => [r('x')], { coalesce: 'text' });
    store.undo();
    store.redo();
    store.commit(() => [r('y')], { coalesce: 'text' });
    store.undo();
    expect(store.results.map((x) => x.id)).toEqual(['x']);
  });

  it('a no-op change is not a step; load resets history; predictions turn into drafts when edited', () => {
    const store = new EditorStore();
    store.commit((rs) => rs);
    expect(store.getState().canUndo).toBe(false);
    store.load([r('p')], 'prediction');
    expect(store.getState().origin).toBe('prediction');
    store.commit((rs) => [...rs, r('q')]);
    expect(store.getState().origin).toBe('draft');
    store.load([], 'empty');
    expect(store.getState().canUndo).toBe(false);
  });

  it('notifies subscribers', () => {
    const store = new EditorStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.commit(() => [r('a')]);
    store.select('a');
    off();
    store.undo();
    expect(calls).toBe(2);
  });
});

describe('EditorStore, edges found by mutation testing', () => {
  const ids = (store: EditorStore) => store.results.map((x) => x.id);

  it('starts empty with nothing to undo or redo, and redo or undo then change nothing', () => {
    const store = new EditorStore();
    expect(store.getState()).toEqual({ results: [], selectedId: null, revision: 0, origin: 'empty',
      canUndo: false, canRedo: false });
    store.redo();
    store.undo();
    expect(store.getState().revision).toBe(0);
    expect(store.results).toEqual([]);
  });

  it('load bumps the revision and leaves nothing to undo or redo', () => {
    const store = new EditorStore();
    store.commit(() => [r('a')]);
    store.commit(() => [r('a'), r('b')]);
    store.undo();
    expect(store.getState().revision).toBe(3);
    store.load([r('x')], 'annotation');
    expect(store.getState()).toMatchObject({ revision: 4, canUndo: false, canRedo: false });
    store.undo();
    store.redo();
    expect(ids(store)).toEqual(['x']);
    expect(store.getState().revision).toBe(4);
  });

  it('typing with the same key a second or more apart makes separate undo steps', () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(10_000);
      const store = new EditorStore();
      store.commit(() => [r('x')], { coalesce: 'text' });
      vi.setSystemTime(10_999);
      store.commit(() => [r('y')], { coalesce: 'text' });
      vi.setSystemTime(11_999);
      store.commit(() => [r('z')], { coalesce: 'text' });
      store.undo();
      expect(ids(store)).toEqual(['y']);
      store.undo();
      expect(store.results).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the last 500 steps of history', () => {
    const store = new EditorStore();
    for (let i = 1; i <= 501; i++) store.commit(() => [r(`s${i}`)]);
    for (let i = 0; i < 500; i++) store.undo();
    expect(ids(store)).toEqual(['s1']);
    expect(store.getState().canUndo).toBe(false);
  });

  it('removing the selected result clears the selection; removing another keeps it', () => {
    const store = new EditorStore();
    store.commit(() => [r('a'), r('b'), r('c')], { select: 'b' });
    store.commit((rs) => rs.filter((x) => x.id !== 'a'));
    expect(store.getState().selectedId).toBe('b');
    store.commit((rs) => rs.filter((x) => x.id !== 'b'));
    expect(ids(store)).toEqual(['c']);
    expect(store.getState().selectedId).toBeNull();
  });

  it('selecting the selected result again notifies nobody', () => {
    const store = new EditorStore([r('a')]);
    store.select('a');
    let calls = 0;
    store.subscribe(() => calls++);
    store.select('a');
    expect(calls).toBe(0);
  });

  it('an edit turns an empty start or a prediction into a draft and keeps a submitted annotation', () => {
    const fresh = new EditorStore();
    fresh.commit(() => [r('a')]);
    expect(fresh.getState().origin).toBe('draft');
    const draft = new EditorStore([r('a')], 'draft');
    draft.commit(() => []);
    expect(draft.getState().origin).toBe('draft');
    const submitted = new EditorStore([r('a')], 'annotation');
    submitted.commit(() => []);
    expect(submitted.getState().origin).toBe('annotation');
    submitted.load([r('p')], 'prediction');
    submitted.commit(() => []);
    expect(submitted.getState().origin).toBe('draft');
  });
});
