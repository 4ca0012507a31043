/** The labeling page: the project's schema, then task after task (or one given task). */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../../api/endpoints';
import { normalizeSchema } from '../../../editor/schema';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { navigate } from '../../router';
import { useAsync } from '../../useAsync';
import { useUser } from '../../userContext';
import { loadNext, loadTask, type LoadedTask } from './loadTask';
import { Workbench } from './Workbench';

interface Props {
  projectId: number;
  taskId: number | null;
  annotationId: number | null;
}

/** `done`: the queue has nothing left for the caller; `skipped` of their skips are still open. */
type Current = { kind: 'loading' } | { kind: 'done'; skipped: number; firstSkipped: number | null }
  | { kind: 'task'; task: LoadedTask } | { kind: 'error'; error: unknown };

/** The queue is empty: what is left is the caller's skipped tasks nobody has completed. */
async function whenQueueIsEmpty(projectId: number): Promise<Current> {
  const state = await api.queue(projectId);
  return { kind: 'done', skipped: state.skipped, firstSkipped: state.first_skipped };
}

export function LabelingPage({ projectId, taskId, annotationId }: Props) {
  const user = useUser();
  const project = useAsync(() => api.project(projectId), [projectId]);
  const schema = useMemo(() => (project.data ? normalizeSchema(project.data.schema) : null), [project.data]);
  const [current, setCurrent] = useState<Current>({ kind: 'loading' });
  // the queue's task after the one on screen, leased in advance so it shows at once on submit
  const prefetched = useRef<Promise<LoadedTask | null> | null>(null);

  const open = useCallback((specific: number | null) => {
    if (!schema) return;
    const ahead = specific === null ? prefetched.current : null;
    prefetched.current = null;
    const load = specific !== null ? loadTask(schema, specific, user?.id ?? 0, annotationId)
      : (ahead ?? Promise.resolve(null)).catch(() => null).then((task) => task ?? loadNext(schema, projectId));
    load.then((task) => (task ? { kind: 'task', task } as const : whenQueueIsEmpty(projectId))).then((next) => {
      setCurrent(next);
      window.performance.mark('postil:task-shown');
      if (next.kind === 'task' && specific === null) {
        prefetched.current = loadNext(schema, projectId, [next.task.id]).catch(() => null);
      }
    }, (error: unknown) => setCurrent({ kind: 'error', error }));
  }, [schema, projectId, user, annotationId]);

  useEffect(() => open(taskId), [open, taskId]);

  const onDone = () => {
    window.performance.mark('postil:submitted');
    if (taskId !== null) navigate(`/projects/${projectId}/label`, true);
    else open(null);
  };

  return (
    <section className="labeling-page">
      <div className="row">
        <Link to={`/projects/${projectId}`}>← {project.data?.name ?? 'Project'}</Link>
        <span className="spacer" />
        <Link to={`/projects/${projectId}/mine`}>My annotations</Link>
      </div>
      <ErrorList error={project.error} />
      {current.kind === 'loading' && <p className="muted">Loading task…</p>}
      {current.kind === 'error' && <ErrorList error={current.error} />}
      {current.kind === 'done' && current.skipped === 0 && (
        <div className="card done" data-queue="empty">
          <h2>All done</h2>
          <p>No task is left for you in this project.</p>
          <Link to={`/projects/${projectId}`} className="button">Back to the data</Link>
        </div>
      )}
      {current.kind === 'done' && current.skipped > 0 && (
        <div className="card done" data-queue="skipped" data-skipped={current.skipped}>
          <h2>No new task left</h2>
          <p>You skipped {current.skipped === 1 ? '1 task' : `${current.skipped.toLocaleString('en-US')} tasks`} that
            {current.skipped === 1 ? ' is' : ' are'} not completed yet: you can go back and label {current.skipped === 1 ? 'it' : 'them'}.</p>
          <Link to={`/projects/${projectId}/label?task=${current.firstSkipped ?? ''}`} className="button primary">
            Label a skipped task</Link>{' '}
          <Link to={`/projects/${projectId}`} className="button">Back to the data</Link>
        </div>
      )}
      {current.kind === 'task' && schema && <Workbench key={current.task.id} schema={schema} task={current.task} onDone={onDone} />}
    </section>
  );
}
