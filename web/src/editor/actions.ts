/** Actions: each owns its default keys, so the help overlay and remapping come from one list. */
import { comboOf, type KeyInput, type KeyOverrides, normalizeCombo } from './keymap';

export interface Action {
  id: string;
  title: string;
  group: string;
  /** Default key combos, canonical (see keymap.comboOf). */
  keys: string[];
  run: () => void;
  enabled?: () => boolean;
  /** Also fires while typing in a text field (e.g. submit). */
  inInput?: boolean;
  /** A label's guideline or the action's explanation, shown on hover. */
  hint?: string;
}

/** The keys of an action after the user's remapping. */
export function keysOf(action: Action, overrides: KeyOverrides): string[] {
  return overrides[action.id] ?? action.keys;
}

/** Finds the action bound to a key event; the first declared wins a conflict. */
export function actionFor(actions: readonly Action[], event: KeyInput, overrides: KeyOverrides,
  inInput: boolean): Action | undefined {
  const combo = comboOf(event);
  return actions.find((a) => (!inInput || a.inInput) && keysOf(a, overrides).includes(combo)
    && (a.enabled?.() ?? true));
}

/** Binds an action to a key, taking that key away from any other action. */
export function remap(actions: readonly Action[], overrides: KeyOverrides, actionId: string,
  combo: string): KeyOverrides {
  const key = normalizeCombo(combo);
  const next: KeyOverrides = { ...overrides };
  for (const a of actions) {
    const keys = keysOf(a, next);
    if (a.id !== actionId && keys.includes(key)) next[a.id] = keys.filter((k) => k !== key);
  }
  next[actionId] = [key];
  return next;
}

/** Groups in declaration order, for the help overlay. */
export function groupActions(actions: readonly Action[]): [string, Action[]][] {
  const groups = new Map<string, Action[]>();
  for (const a of actions) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
  return [...groups.entries()];
}
