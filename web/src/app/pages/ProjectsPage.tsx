/** The user's projects with progress: tasks done of total, and their own share. */
import { api, type ProjectOut } from '../../api/endpoints';
import { ErrorList } from '../components/ErrorList';
import { Link } from '../components/Link';
import { useAsync } from '../useAsync';
import { useUser } from '../userContext';

function Progress({ project }: { project: ProjectOut }) {
  const total = project.task_count || 0;
  const done = project.completed_count || 0;
  const pct = total ? Math.round((done / total) * 100) : 0;
  const mine = total ? Math.min(100, Math.round((project.my_annotations / total) * 100)) : 0;
  return (
    <div className="progress-block">
      <div className="bar" title={`${done} of ${total} tasks done`}>
        <div className="fill" style={{ width: `${pct}%` }} />
        <div className="fill mine" style={{ width: `${Math.min(mine, pct)}%` }} />
      </div>
      <span className="muted">{done} / {total} done · mine {project.my_annotations}</span>
    </div>
  );
}

export function ProjectsPage() {
  const { data, error, loading } = useAsync(() => api.projects(), []);
  const canCreate = useUser()?.can_create_projects ?? false;
  return (
    <section>
      <div className="row">
        <h1>Projects</h1>
        <span className="spacer" />
        {canCreate && <Link to="/projects/new" className="button primary">New project</Link>}
      </div>
      <ErrorList error={error} />
      {loading && <p className="muted">Loading…</p>}
      {data && data.length === 0 && <p className="muted">{canCreate
        ? 'No projects yet: create one from a template.'
        : 'No projects yet: ask a project owner or manager to add you to one.'}</p>}
      <ul className="project-list">
        {data?.map((p) => (
          <li key={p.id} className="card project-card" data-project={p.id}>
            <Link to={`/projects/${p.id}`}><h2>{p.name}</h2></Link>
            <p className="muted">{p.description || String(p.schema?.title ?? '')}</p>
            <Progress project={p} />
            <div className="row">
              <Link to={`/projects/${p.id}/label`} className="button primary">Label</Link>
              <Link to={`/projects/${p.id}`} className="button">Data</Link>
              {p.role && <span className="badge">{p.role}</span>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
