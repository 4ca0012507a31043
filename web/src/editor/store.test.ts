import { describe, expect, it } from 'vitest';
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
