/** The user's own past annotations in a project, each reopenable. */
import { api } from '../../../api/endpoints';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { useAsync } from '../../useAsync';
import { shortDate } from './datamanager/cells';

export function MyAnnotations({ projectId }: { projectId: number }) {
  const { data, error } = useAsync(() => api.myAnnotations(projectId), [projectId]);
  return (
    <div>
      <ErrorList error={error} />
      {data?.length === 0 && <p className="muted">You have not annotated anything here yet.</p>}
      <table className="table">
        <thead><tr><th>Task</th><th>Status</th><th>Results</th><th>Version</th><th>Updated</th><th /></tr></thead>
        <tbody>
          {data?.map((a) => (
            <tr key={a.id} data-annotation={a.id}>
              <td>#{a.task_id}</td><td>{a.status}</td><td>{a.result.length}</td><td>{a.version}</td><td>{shortDate(a.updated_at)}</td>
              <td><Link to={`/projects/${projectId}/label?task=${a.task_id}&annotation=${a.id}`}>Reopen</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
