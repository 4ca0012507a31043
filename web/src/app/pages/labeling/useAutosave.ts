/** Drafts autosave every few seconds and when the page is hidden or left; failures retry, except
 * a refusal (4xx), which waits for the next edit. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../api/endpoints';
import { toServer } from '../../../api/resultCodec';
import type { LabelingSession } from '../../../editor/session';
import { writeBackup } from './localBackup';
import { afterFailedSave, needsSave, type SaveStatus } from './savePolicy';

export type { SaveStatus } from './savePolicy';

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
  /** The revision the server last refused: not sent again until the results change. */
  const refused = useRef<number | null>(null);
  const base = useRef(o.baseVersion);
  const inFlight = useRef(false);
  const opts = useRef(o);
  opts.current = o;

  const saveNow = useCallback(async (keepalive = false) => {
    const { revision, results } = session.store.getState();
    if (!opts.current.enabled || !needsSave(revision, saved.current, refused.current)
      || (inFlight.current && !keepalive)) return;
    inFlight.current = true;
    if (!keepalive) setStatus({ kind: 'saving' });
    try {
      const body = toServer(session.schema, session.data, results);
      // keepalive bodies are capped (64 KB); bigger ones go as a normal request
      const small = JSON.stringify(body).length < 60_000;
      await api.saveDraft(opts.current.taskId, body, opts.current.leadTime(), base.current, keepalive && small);
      saved.current = revision;
      refused.current = null;
      setStatus(session.store.getState().revision === revision ? { kind: 'saved' } : { kind: 'dirty' });
    } catch (err) {
      const failed = afterFailedSave(err);
      if (!failed.retry) refused.current = revision;
      setStatus(failed.status);
    } finally {
      inFlight.current = false;
    }
  }, [session]);

  useEffect(() => {
    let lastBackup = 0;
    const off = session.store.subscribe(() => {
      setStatus((s) => (s.kind === 'conflict' || s.kind === 'error' ? s : { kind: 'dirty' }));
      // an edit after a refusal is a new payload: it shows as unsaved and is sent again
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
    refused.current = null;
    void saveNow();
  }, [saveNow]);

  const markSaved = useCallback(() => {
    saved.current = session.store.getState().revision;
    refused.current = null;
    setStatus({ kind: 'saved' });
  }, [session]);

  return { status, saveNow, keepMine, markSaved };
}
