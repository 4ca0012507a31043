/** Paths to pages. */
import { CreateProjectPage } from './pages/create/CreateProjectPage';
import { LabelingPage } from './pages/labeling/LabelingPage';
import { ProjectPage } from './pages/project/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { TaskReviewPage } from './pages/review/TaskReviewPage';
import { match, useLocation } from './router';

export function Routes() {
  const { path, query } = useLocation();
  let m: Record<string, string> | null;
  if (path === '/' || path === '/projects') return <ProjectsPage />;
  if (path === '/projects/new') return <CreateProjectPage />;
  if ((m = match('/projects/:id/label', path))) {
    const task = query.get('task');
    const annotation = query.get('annotation');
    return <LabelingPage key={`${m.id}-${task ?? ''}-${annotation ?? ''}`} projectId={Number(m.id)}
      taskId={task ? Number(task) : null} annotationId={annotation ? Number(annotation) : null} />;
  }
  if ((m = match('/projects/:id/tasks/:task', path))) {
    return <TaskReviewPage projectId={Number(m.id)} taskId={Number(m.task)} />;
  }
  if ((m = match('/projects/:id', path)) || (m = match('/projects/:id/:tab', path))) {
    return <ProjectPage projectId={Number(m.id)} tab={m.tab ?? 'data'} />;
  }
  return <p>Page not found.</p>;
}
