/** Global key handling for the labeling screen: the action bound to the combo runs. */
import { useEffect, useRef } from 'react';
import { actionFor, type Action } from '../../../editor/actions';
import type { KeyOverrides } from '../../../editor/keymap';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type);
}

export function useHotkeys(actions: Action[], overrides: KeyOverrides, enabled: boolean): void {
  const current = useRef({ actions, overrides, enabled });
  current.current = { actions, overrides, enabled };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { actions: list, overrides: keys, enabled: on } = current.current;
      if (!on || e.defaultPrevented || e.isComposing) return;
      const action = actionFor(list, e, keys, isTyping(e.target));
      if (!action) return;
      e.preventDefault();
      action.run();
    };
    window.addEventListener('keydown', onKey);
    // a mark that keys now reach the actions (browser tests wait for it before typing)
    document.documentElement.dataset.hotkeys = 'on';
    return () => {
      window.removeEventListener('keydown', onKey);
      delete document.documentElement.dataset.hotkeys;
    };
  }, []);
}
