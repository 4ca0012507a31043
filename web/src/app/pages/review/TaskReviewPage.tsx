/** One task with every annotation on it side by side (managers see all; annotators their own). */
import { useMemo } from 'react';
import { api, type AnnotationOut, type TaskOut } from '../../../api/endpoints';
import { fromServer } from '../../../api/resultCodec';
import { normalizeSchema, type LabelSchema } from '../../../editor/schema';
import { LabelingSession } from '../../../editor/session';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { useAsync } from '../../useAsync';
import { KeysContext } from '../labeling/keysContext';
import { LabelingScreen } from '../labeling/LabelingScreen';
import { shortDate } from '../project/datamanager/cells';

function AnnotationColumn({ schema, task, annotation }: { schema: LabelSchema; task: TaskOut; annotation: AnnotationOut }) {
  const session = useMemo(() => new LabelingSession(schema, task.data, undefined,
    fromServer(schema, task.data, annotation.result), 'annotation'), [schema, task, annotation]);
  return (
    <div className="annotation-column card" data-annotation={annotation.id}>
      <h3>{annotation.completed_by_username} <span className="muted">· {annotation.status} · v{annotation.version} · {shortDate(annotation.updated_at)}</span></h3>
      <LabelingScreen session={session} readOnly />
    </div>
  );
}

export function TaskReviewPage({ projectId, taskId }: { projectId: number; taskId: number }) {
  const loaded = useAsync(() => Promise.all([api.project(projectId), api.task(taskId), api.taskAnnotations(taskId)]), [projectId, taskId]);
  const [project, task, annotations] = loaded.data ?? [];
  const schema = useMemo(() => (project ? normalizeSchema(project.schema) : null), [project]);
  return (
    <section>
      <div className="row">
        <Link to={`/projects/${projectId}`}>← {project?.name ?? 'Project'}</Link>
        <h1>Task #{taskId}</h1>
        <span className="spacer" />
        <Link to={`/projects/${projectId}/label?task=${taskId}`} className="button primary">Label this task</Link>
      </div>
      <ErrorList error={loaded.error} />
      {annotations?.length === 0 && <p className="muted">No annotations yet.</p>}
      <KeysContext.Provider value={{ actions: [], overrides: {} }}>
        <div className="side-by-side">
          {schema && task && annotations?.map((a) => <AnnotationColumn key={a.id} schema={schema} task={task} annotation={a} />)}
        </div>
      </KeysContext.Provider>
    </section>
  );
}
