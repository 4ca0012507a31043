/** Submitting (or updating a reopened annotation) and skipping, with their errors. */
import { useState } from 'react';
import { api, type AnnotationOut } from '../../../api/endpoints';
import { ApiError } from '../../../api/http';
import { toServer } from '../../../api/resultCodec';
import type { LabelingSession } from '../../../editor/session';
import { clearBackup } from './localBackup';
import type { LoadedTask } from './loadTask';

export type SubmitState = { kind: 'idle' | 'busy' } | { kind: 'error'; error: unknown } | { kind: 'conflict'; current: AnnotationOut };

export function useSubmit(session: LabelingSession, task: LoadedTask, leadTime: () => number,
  beforeLeave: () => void, onDone: (a: AnnotationOut | null) => void) {
  const [state, setState] = useState<SubmitState>({ kind: 'idle' });
  const finish = (a: AnnotationOut | null) => {
    clearBackup(task.id);
    beforeLeave();
    setState({ kind: 'idle' });
    onDone(a);
  };
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409 && err.current) setState({ kind: 'conflict', current: err.current as AnnotationOut });
    else setState({ kind: 'error', error: err });
  };
  const body = () => toServer(session.schema, session.data, session.store.results);

  const submit = () => {
    if (state.kind === 'busy') return;
    setState({ kind: 'busy' });
    const untouchedPrediction = session.store.getState().origin === 'prediction' ? task.prediction?.id ?? null : null;
    const request = task.annotation
      ? api.update(task.annotation.id, body(), task.annotation.version, leadTime())
      : api.submit(task.id, body(), leadTime(), untouchedPrediction);
    request.then(finish, fail);
  };
  /** After a 409: write these results over the newer version. */
  const overwrite = () => {
    if (state.kind !== 'conflict') return;
    setState({ kind: 'busy' });
    api.update(state.current.id, body(), state.current.version, leadTime()).then(finish, fail);
  };
  const skip = () => {
    if (state.kind === 'busy') return;
    setState({ kind: 'busy' });
    api.skip(task.id).then(() => finish(null), fail);
  };
  return { state, submit, skip, overwrite, dismiss: () => setState({ kind: 'idle' }) };
}
