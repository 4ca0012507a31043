/** Drafts autosave every few seconds and when the page is hidden or left; failures retry. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type AnnotationOut } from '../../../api/endpoints';
import { ApiError } from '../../../api/http';
import { toServer } from '../../../api/resultCodec';
import type { LabelingSession } from '../../../editor/session';
import { writeBackup } from './localBackup';

export type SaveStatus =
  | { kind: 'idle' | 'dirty' | 'saving' | 'saved' }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; current: AnnotationOut | null };

export interface AutosaveOptions {
  taskId: number;
  baseVersion: number | null;
  leadTime: () => number;
  enabled: boolean;
  intervalMs?: number;
}

export interface Autosave {
  status: SaveStatus;
  saveNow: (keepalive?: boolean) => Promise<void>;
  /** After a 409: keep these results on top of the newer submission. */
  keepMine: () => void;
  markSaved: () => void;
}

export function useAutosave(session: LabelingSession, o: AutosaveOptions): Autosave {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const saved = useRef(session.store.getState().revision);
  const base = useRef(o.baseVersion);
  const inFlight = useRef(false);
  const opts = useRef(o);
  opts.current = o;

  const saveNow = useCallback(async (keepalive = false) => {
    const { revision, results } = session.store.getState();
    if (!opts.current.enabled || revision === saved.current || (inFlight.current && !keepalive)) return;
    inFlight.current = true;
    if (!keepalive) setStatus({ kind: 'saving' });
    try {
      const body = toServer(session.schema, session.data, results);
      // keepalive bodies are capped (64 KB); bigger ones go as a normal request
      const small = JSON.stringify(body).length < 60_000;
      await api.saveDraft(opts.current.taskId, body, opts.current.leadTime(), base.current, keepalive && small);
      saved.current = revision;
      setStatus(session.store.getState().revision === revision ? { kind: 'saved' } : { kind: 'dirty' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setStatus({ kind: 'conflict', current: (err.current as AnnotationOut) ?? null });
      else if (err instanceof ApiError && err.status === 401) setStatus({ kind: 'error', message: 'session expired: log in again, saving resumes' });
      else setStatus({ kind: 'error', message: err instanceof Error ? `${err.message}; retrying` : 'save failed; retrying' });
    } finally {
      inFlight.current = false;
    }
  }, [session]);

  useEffect(() => {
    let lastBackup = 0;
    const off = session.store.subscribe(() => {
      setStatus((s) => (s.kind === 'conflict' || s.kind === 'error' ? s : { kind: 'dirty' }));
      if (Date.now() - lastBackup > 1000) {
        lastBackup = Date.now();
        writeBackup(opts.current.taskId, session.store.results);
      }
    });
    const timer = window.setInterval(() => {
      writeBackup(opts.current.taskId, session.store.results);
      void saveNow();
    }, o.intervalMs ?? 3000);
    const onHide = () => {
      if (document.visibilityState === 'hidden') void saveNow(true);
    };
    const onPageHide = () => {
      writeBackup(opts.current.taskId, session.store.results);
      void saveNow(true);
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      off();
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      void saveNow(true);
    };
  }, [session, saveNow, o.intervalMs]);

  const keepMine = useCallback(() => {
    setStatus((s) => {
      if (s.kind === 'conflict') base.current = s.current?.version ?? base.current;
      return { kind: 'dirty' };
    });
    saved.current = -1;
    void saveNow();
  }, [saveNow]);

  const markSaved = useCallback(() => {
    saved.current = session.store.getState().revision;
    setStatus({ kind: 'saved' });
  }, [session]);

  return { status, saveNow, keepMine, markSaved };
}
