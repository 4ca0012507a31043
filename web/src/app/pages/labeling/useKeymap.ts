/** The user's key remapping, persisted in localStorage. */
import { useState } from 'react';
import { remap, type Action } from '../../../editor/actions';
import { loadOverrides, saveOverrides, type KeyOverrides } from '../../../editor/keymap';

export function useKeymap(actions: Action[]) {
  const [overrides, setOverrides] = useState<KeyOverrides>(() => loadOverrides(window.localStorage));
  const change = (actionId: string, combo: string) => {
    const next = remap(actions, overrides, actionId, combo);
    saveOverrides(window.localStorage, next);
    setOverrides(next);
  };
  const reset = () => {
    saveOverrides(window.localStorage, {});
    setOverrides({});
  };
  return { overrides, change, reset };
}
