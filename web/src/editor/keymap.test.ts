import { describe, expect, it } from 'vitest';
import { actionFor, groupActions, remap, type Action } from './actions';
import { comboOf, displayCombo, loadOverrides, normalizeCombo, saveOverrides } from './keymap';

describe('key combos', () => {
  it('canonical forms', () => {
    expect(comboOf({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+z');
    expect(comboOf({ key: 'z', metaKey: true })).toBe('Ctrl+z');
    expect(comboOf({ key: '?', shiftKey: true })).toBe('?');
    expect(comboOf({ key: ' ' })).toBe('Space');
    expect(normalizeCombo('ctrl+enter')).toBe('Ctrl+Enter');
    expect(normalizeCombo('Shift+arrowleft')).toBe('Shift+ArrowLeft');
    expect(normalizeCombo('P')).toBe('p');
    expect(displayCombo('Ctrl+Shift+z')).toBe('Ctrl+Shift+Z');
  });

  it('actions match keys, respect inputs, and can be remapped and persisted', () => {
    let ran = '';
    const actions: Action[] = [
      { id: 'submit', title: 'Submit', group: 'A', keys: ['Ctrl+Enter'], inInput: true, run: () => { ran = 'submit'; } },
      { id: 'undo', title: 'Undo', group: 'A', keys: ['Ctrl+z'], run: () => { ran = 'undo'; } },
      { id: 'label', title: 'PER', group: 'B', keys: ['p'], run: () => { ran = 'label'; } },
    ];
    actionFor(actions, { key: 'Enter', ctrlKey: true }, {}, false)?.run();
    expect(ran).toBe('submit');
    expect(actionFor(actions, { key: 'p' }, {}, true)).toBeUndefined();
    const overrides = remap(actions, {}, 'label', 'ctrl+z');
    expect(actionFor(actions, { key: 'z', ctrlKey: true }, overrides, false)?.id).toBe('label');
    expect(actionFor(actions, { key: 'p' }, overrides, false)).toBeUndefined();
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    saveOverrides(storage, overrides);
    expect(loadOverrides(storage)).toEqual(overrides);
    expect(groupActions(actions).map(([g]) => g)).toEqual(['A', 'B']);
  });
});

describe('key combos, edges found by mutation testing', () => {
  it('names every modifier, and Shift only where the key does not already say it', () => {
    expect(comboOf({ key: 'a', ctrlKey: true, altKey: true, shiftKey: true })).toBe('Ctrl+Alt+Shift+a');
    expect(comboOf({ key: 'Enter', shiftKey: true })).toBe('Shift+Enter');
    expect(comboOf({ key: '1', shiftKey: true })).toBe('1');
    expect(comboOf({ key: 'Esc' })).toBe('Escape');
    expect(comboOf({ key: 'Spacebar' })).toBe('Space');
    expect(comboOf({ key: 'Left', altKey: true })).toBe('Alt+ArrowLeft');
  });

  it('reads hand-written combos: spaces, Cmd and Meta, the plus key, named keys', () => {
    expect(normalizeCombo(' ctrl + shift + z ')).toBe('Ctrl+Shift+z');
    expect(normalizeCombo('cmd+s')).toBe('Ctrl+s');
    expect(normalizeCombo('meta+s')).toBe('Ctrl+s');
    expect(normalizeCombo('alt+x')).toBe('Alt+x');
    expect(normalizeCombo('Ctrl++')).toBe('Ctrl++');
    expect(normalizeCombo('+')).toBe('+');
    expect(normalizeCombo('space')).toBe('Space');
    expect(normalizeCombo('shift+space')).toBe('Shift+Space');
    expect(normalizeCombo('pagedown')).toBe('PageDown');
    expect(normalizeCombo('f12')).toBe('F12');
    expect(normalizeCombo('insert')).toBe('Insert');
    expect(normalizeCombo('')).toBe('');
  });

  it('shows combos without "Arrow" and keeps the plus key', () => {
    expect(displayCombo('Alt+ArrowLeft')).toBe('Alt+Left');
    expect(displayCombo('Ctrl++')).toBe('Ctrl++');
    expect(displayCombo('+')).toBe('+');
  });

  it('survives missing or broken storage', () => {
    expect(loadOverrides(undefined)).toEqual({});
    expect(loadOverrides({ getItem: () => '{not json', setItem: () => undefined })).toEqual({});
    expect(() => saveOverrides(undefined, { undo: ['u'] })).not.toThrow();
  });

  it('names the old key names the modern way, and keeps Shift on function keys', () => {
    expect(['Del', 'Up', 'Down', 'Right'].map((key) => comboOf({ key }))).toEqual(
      ['Delete', 'ArrowUp', 'ArrowDown', 'ArrowRight']);
    expect(comboOf({ key: 'F1', shiftKey: true })).toBe('Shift+F1');
    expect(['arrowup', 'arrowdown', 'arrowright', 'pageup'].map(normalizeCombo)).toEqual(
      ['ArrowUp', 'ArrowDown', 'ArrowRight', 'PageUp']);
    expect(normalizeCombo(' + ')).toBe('+');
  });

  it('keeps the overrides under postil.keymap', () => {
    const mem = new Map<string, string>();
    saveOverrides({ getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) }, { undo: ['u'] });
    expect([...mem.entries()]).toEqual([['postil.keymap', '{"undo":["u"]}']]);
  });
});

