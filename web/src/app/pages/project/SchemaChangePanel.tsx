/** Change a project's schema: edit, declare the changes, see what migrated and what needs relabeling. */
import { useState } from 'react';
import { api, type ProjectOut, type SchemaChangeOut } from '../../../api/endpoints';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { SchemaEditor } from '../create/SchemaEditor';
import { useSchemaCheck } from '../create/useSchemaCheck';
import { ChangeList, toChange, type ChangeRow } from './ChangeList';

export function SchemaChangePanel({ project, onChanged }: { project: ProjectOut; onChanged: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(project.schema, null, 2));
  const [rows, setRows] = useState<ChangeRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<SchemaChangeOut | null>(null);
  const check = useSchemaCheck(text);
  const apply = () => {
    setError(null);
    api.changeSchema(project.id, text, rows.map(toChange)).then((r) => { setResult(r); setRows([]); onChanged(); }, setError);
  };
  return (
    <div className="schema-change">
      <p className="muted">Schema version {project.schema_version}. Renames and merges migrate existing results; splits and retired labels send tasks back for relabeling.</p>
      <SchemaEditor text={text} onText={setText} check={check} />
      <ChangeList rows={rows} onRows={setRows} />
      <button type="button" className="primary" onClick={apply} disabled={!check.schema}>Save new schema version</button>
      <ErrorList error={error} />
      {result && (
        <div className="ok" role="status" data-schema-version={result.version}>
          Version {result.version}: {result.migrated_annotations} annotation(s) migrated, {result.relabel_tasks} task(s) back for relabeling.
          {result.relabel_task_ids.length > 0 && (
            <ul className="inline-list">{result.relabel_task_ids.slice(0, 100).map((id) => (
              <li key={id}><Link to={`/projects/${project.id}/tasks/${id}`}>#{id}</Link></li>))}</ul>
          )}
        </div>
      )}
    </div>
  );
}
