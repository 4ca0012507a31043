import { describe, expect, it } from 'vitest';
import { labelsOf } from '../../result';
import type { ControlSpec } from '../../schema';
import { EditorStore } from '../../store';
import { SpanTool } from './spanTool';
import { snapToWords, wordRight } from './words';

const entities: ControlSpec = { name: 'entities', type: 'span', to: ['text'],
  labels: [{ value: 'PER' }, { value: 'ORG' }] };
const TEXT = '💩 Ada Lovelace met Charles Babbage.';

function setup(text = TEXT) {
  const store = new EditorStore();
  return { store, tool: new SpanTool(text, 'text', store) };
}

describe('span tool by simulated input', () => {
  it('mouse drag then a label hotkey creates a span (UTF-16 inside the editor)', () => {
    const { store, tool } = setup();
    const start = TEXT.indexOf('Ada');
    tool.pointerDown(start);
    tool.pointerMove(start + 2);
    tool.pointerUp(start + 12);
    expect(tool.selection()).toEqual({ start, end: start + 12 });
    const id = tool.label(entities, 'PER');
    expect(store.results).toHaveLength(1);
    expect(store.results[0]?.value).toEqual({ start, end: start + 12, text: 'Ada Lovelace', labels: ['PER'] });
    expect(store.getState().selectedId).toBe(id);
    expect(tool.selection()).toBeNull();
  });

  it('a click (no drag) selects nothing and labels nothing', () => {
    const { store, tool } = setup();
    tool.pointerDown(5);
    tool.pointerUp(5);
    expect(tool.selection()).toBeNull();
    expect(tool.label(entities, 'PER')).toBeNull();
    expect(store.results).toHaveLength(0);
  });

  it('keyboard: caret steps over a surrogate pair, Shift extends, Ctrl jumps words', () => {
    const { store, tool } = setup();
    tool.move(1);
    expect(tool.getState().caret).toBe(2); // past 💩 (two UTF-16 units)
    tool.move(1);
    tool.move(1, { extend: true, word: true });
    expect(tool.selection()).toEqual({ start: 3, end: 6 });
    tool.label(entities, 'PER');
    expect(store.results[0]?.value.text).toBe('Ada');
    tool.move(-1);
    expect(tool.getState().caret).toBe(5);
  });

  it('overlapping spans are allowed; the same span twice is not duplicated', () => {
    const { store, tool } = setup();
    tool.setRange(3, 15);
    tool.label(entities, 'PER');
    tool.setRange(7, 15);
    tool.label(entities, 'ORG');
    tool.setRange(3, 15);
    tool.label(entities, 'PER');
    expect(store.results).toHaveLength(2);
  });

  it('a hotkey with nothing selected relabels the selected span; undo restores', () => {
    const { store, tool } = setup();
    tool.setRange(3, 6);
    tool.label(entities, 'PER');
    tool.label(entities, 'ORG');
    expect(labelsOf(store.results[0]!)).toEqual(['ORG']);
    store.undo();
    expect(labelsOf(store.results[0]!)).toEqual(['PER']);
  });

  it('snap to words widens a partial selection and trims spaces', () => {
    const { tool } = setup();
    tool.setSnap(true);
    tool.setRange(TEXT.indexOf('velace'), TEXT.indexOf(' met') + 1);
    expect(tool.selection()).toEqual({ start: TEXT.indexOf('Lovelace'), end: TEXT.indexOf(' met') });
    expect(snapToWords('  a  ', 0, 5)).toEqual([2, 3]);
    expect(wordRight('ab cd', 2)).toBe(5);
  });

  it('keyboard steps and selects whole grapheme clusters: 👨🏻‍🚒, e + U+0301, flags', () => {
    const text = '\u{1F468}\u{1F3FB}\u200D\u{1F692} cafe\u0301 \u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}';
    const { store, tool } = setup(text);
    tool.move(1, { extend: true });
    expect(tool.selection()).toEqual({ start: 0, end: 7 });
    tool.label(entities, 'PER');
    expect(store.results[0]?.value.text).toBe('\u{1F468}\u{1F3FB}\u200D\u{1F692}');
    tool.moveTo(13);
    tool.move(-1, { extend: true });
    expect(tool.selection()).toEqual({ start: 11, end: 13 });
    tool.label(entities, 'ORG');
    expect(store.results[1]?.value.text).toBe('e\u0301');
    tool.moveTo(14);
    tool.move(1, { extend: true });
    tool.move(1, { extend: true });
    expect(tool.selection()).toEqual({ start: 14, end: 22 });
    tool.move(-1, { extend: true });
    expect(tool.selection()).toEqual({ start: 14, end: 18 });
    tool.moveTo(text.length);
    tool.move(-1);
    expect(tool.getState().caret).toBe(18);
  });

  it('a mouse selection ending inside a cluster takes the whole cluster', () => {
    const text = 'a \u{1F468}\u{1F3FB}\u200D\u{1F692} b \u{1F1EB}\u{1F1F7}';
    const { store, tool } = setup(text);
    tool.setRange(0, 4); // ends between 👨 and 🏻
    expect(tool.selection()).toEqual({ start: 0, end: 9 });
    tool.setRange(13, 11); // backwards, from inside the flag to the space before it
    expect(tool.selection()).toEqual({ start: 11, end: 16 });
    tool.pointerDown(5);
    tool.pointerUp(14);
    expect(tool.selection()).toEqual({ start: 2, end: 16 });
    tool.label(entities, 'PER');
    expect(store.results[0]?.value.text).toBe('\u{1F468}\u{1F3FB}\u200D\u{1F692} b \u{1F1EB}\u{1F1F7}');
  });
});

