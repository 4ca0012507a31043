/** Key combos ("Ctrl+Shift+Z", "?", "Space"), and the user's remapping of actions to keys. */

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

const NAMED: Record<string, string> = { ' ': 'Space', Spacebar: 'Space', Esc: 'Escape', Del: 'Delete',
  Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight' };

function keyName(key: string): string {
  if (NAMED[key]) return NAMED[key];
  return key.length === 1 ? key.toLowerCase() : key;
}

/** The canonical combo of a keyboard event; Cmd counts as Ctrl. */
export function comboOf(e: KeyInput): string {
  const key = keyName(e.key);
  const printable = key.length === 1 && !/[a-z]/.test(key);
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  // "?" already says Shift; letters and named keys keep it
  if (e.shiftKey && !printable) parts.push('Shift');
  parts.push(key);
  return parts.join('+');
}

/** Canonical form of a combo written by hand ("ctrl+shift+z" -> "Ctrl+Shift+z"). */
export function normalizeCombo(text: string): string {
  const parts = text.split('+').map((p) => p.trim());
  // "+" and "Ctrl++" mean the plus key
  const rawKey = text.trim() === '+' || text.endsWith('++') ? '+' : (parts.pop() ?? '');
  const mods = new Set(parts.filter(Boolean).map((p) => p.toLowerCase()));
  return comboOf({ key: rawKey.length === 1 ? rawKey : (rawKey === 'space' ? ' ' : capitalize(rawKey)),
    ctrlKey: mods.has('ctrl') || mods.has('cmd') || mods.has('meta'), altKey: mods.has('alt'),
    shiftKey: mods.has('shift') });
}

const KNOWN = ['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'ArrowUp', 'ArrowDown', 'ArrowLeft',
  'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`)];

function capitalize(s: string): string {
  return KNOWN.find((k) => k.toLowerCase() === s.toLowerCase()) ?? s.charAt(0).toUpperCase() + s.slice(1);
}

/** How a combo is shown on buttons and in the help overlay. */
export function displayCombo(combo: string): string {
  return combo.split('+').map((p) => (p.length === 1 ? p.toUpperCase() : p.replace('Arrow', ''))).join('+')
    .replace(/\+\+$/, '++');
}

export type KeyOverrides = Record<string, string[]>;

export interface KeyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'postil.keymap';

export function loadOverrides(storage: KeyStorage | undefined): KeyOverrides {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as KeyOverrides) : {};
  } catch {
    return {};
  }
}

export function saveOverrides(storage: KeyStorage | undefined, overrides: KeyOverrides): void {
  storage?.setItem(STORAGE_KEY, JSON.stringify(overrides));
}
