/** One project: its data manager, import, schema settings and the user's own annotations. */
import { useMemo } from 'react';
import { api } from '../../../api/endpoints';
import { normalizeSchema } from '../../../editor/schema';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { useAsync } from '../../useAsync';
import { DataManager } from './datamanager/DataManager';
import { ExportControls, ExportOutcome, useExport } from './ExportMenu';
import { ImportPanel } from './ImportPanel';
import { MyAnnotations } from './MyAnnotations';
import { SchemaChangePanel } from './SchemaChangePanel';

const TABS = [['data', 'Data'], ['import', 'Import'], ['settings', 'Schema'], ['mine', 'My annotations']] as const;

export function ProjectPage({ projectId, tab }: { projectId: number; tab: string }) {
  const project = useAsync(() => api.project(projectId), [projectId]);
  const schema = useMemo(() => (project.data ? normalizeSchema(project.data.schema) : null), [project.data]);
  const p = project.data;
  const exporting = useExport(projectId);
  return (
    <section>
      <ErrorList error={project.error} />
      {p && schema && (
        <>
          <div className="row">
            <h1>{p.name}</h1>
            <span className="muted">{p.completed_count} / {p.task_count} done</span>
            <span className="spacer" />
            <ExportControls exporting={exporting} />
            <Link to={`/projects/${projectId}/label`} className="button primary">Label tasks</Link>
          </div>
          <ExportOutcome exporting={exporting} />
          <nav className="tabs">
            {TABS.map(([id, title]) => (
              <Link key={id} to={id === 'data' ? `/projects/${projectId}` : `/projects/${projectId}/${id}`}
                className={tab === id ? 'tab active' : 'tab'}>{title}</Link>
            ))}
          </nav>
          {tab === 'data' && <DataManager projectId={projectId} schema={schema} />}
          {tab === 'import' && <ImportPanel projectId={projectId} onImported={project.reload} />}
          {tab === 'settings' && <SchemaChangePanel project={p} onChanged={project.reload} />}
          {tab === 'mine' && <MyAnnotations projectId={projectId} />}
        </>
      )}
    </section>
  );
}
