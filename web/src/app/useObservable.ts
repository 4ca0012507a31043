/** React binding for the editor's observables (store, tools). */
import { useSyncExternalStore } from 'react';
import type { Observable } from '../editor/observable';

export function useObservable<S>(observable: Observable<S>): S {
  return useSyncExternalStore(observable.subscribe, observable.getState);
}
