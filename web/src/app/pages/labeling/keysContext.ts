/** The current key bindings, for buttons that show their hotkey. */
import { createContext, useContext } from 'react';
import { keysOf, type Action } from '../../../editor/actions';
import { displayCombo, type KeyOverrides } from '../../../editor/keymap';

export interface KeysValue {
  actions: Action[];
  overrides: KeyOverrides;
}

export const KeysContext = createContext<KeysValue>({ actions: [], overrides: {} });

/** The displayed key of an action ("" when unbound). */
export function useKeyOf(actionId: string): string {
  const { actions, overrides } = useContext(KeysContext);
  const action = actions.find((a) => a.id === actionId);
  const key = action ? keysOf(action, overrides)[0] : undefined;
  return key ? displayCombo(key) : '';
}
