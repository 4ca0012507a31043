/** What autosave does after a failed save: try the same results again later, or wait for an edit. */
import type { AnnotationOut } from '../../../api/endpoints';
import { ApiError } from '../../../api/http';

export type SaveStatus =
  | { kind: 'idle' | 'dirty' | 'saving' | 'saved' }
  | { kind: 'error'; message: string }
  /** The server refused these results (4xx): saving them again would fail the same way. */
  | { kind: 'invalid'; error: ApiError }
  | { kind: 'conflict'; current: AnnotationOut | null };

export interface FailedSave {
  status: SaveStatus;
  /** False when the same payload would be refused again: wait for the next edit. */
  retry: boolean;
}

/** A refused request is final for its payload; a lost connection, a busy or broken server, or an
 * expired session (saving resumes after login) are worth another try with the same results. */
export function afterFailedSave(err: unknown): FailedSave {
  if (!(err instanceof ApiError) || err.isNetwork) {
    const message = err instanceof Error ? err.message : 'save failed';
    return { status: { kind: 'error', message: `${message}; retrying` }, retry: true };
  }
  if (err.status === 409) return { status: { kind: 'conflict', current: (err.current as AnnotationOut) ?? null }, retry: false };
  if (err.status === 401) return { status: { kind: 'error', message: 'session expired: log in again, saving resumes' }, retry: true };
  if (err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
    return { status: { kind: 'invalid', error: err }, retry: false };
  }
  return { status: { kind: 'error', message: `${err.message}; retrying` }, retry: true };
}

/** Whether the editor's `revision` needs saving: not saved yet, and not the one last refused. */
export function needsSave(revision: number, saved: number, refused: number | null): boolean {
  return revision !== saved && revision !== refused;
}
