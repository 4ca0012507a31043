/** A copy of unsaved results in localStorage: the last resort if the server cannot be reached. */
import type { Result } from '../../../editor/result';

export interface Backup {
  results: Result[];
  savedAt: number;
}

const key = (taskId: number) => `postil.backup.${taskId}`;

export function writeBackup(taskId: number, results: readonly Result[]): void {
  try {
    window.localStorage.setItem(key(taskId), JSON.stringify({ results, savedAt: Date.now() }));
  } catch {
    // storage full or disabled: the server draft still protects the work
  }
}

export function readBackup(taskId: number): Backup | null {
  try {
    const raw = window.localStorage.getItem(key(taskId));
    return raw ? (JSON.parse(raw) as Backup) : null;
  } catch {
    return null;
  }
}

export function clearBackup(taskId: number): void {
  window.localStorage.removeItem(key(taskId));
}
