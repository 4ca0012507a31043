/** New project: pick a template from the gallery or write a schema, preview it, create, then import. */
import { useState, type FormEvent } from 'react';
import { api, type TemplateInfo } from '../../../api/endpoints';
import { ErrorList } from '../../components/ErrorList';
import { navigate } from '../../router';
import { useAsync } from '../../useAsync';
import { useUser } from '../../userContext';
import { SchemaEditor } from './SchemaEditor';
import { useSchemaCheck } from './useSchemaCheck';

function Gallery({ templates, chosen, onChoose }: { templates: TemplateInfo[]; chosen: string | null; onChoose: (t: TemplateInfo) => void }) {
  const categories = [...new Set(templates.map((t) => t.category))];
  return (
    <div className="gallery">
      {categories.map((c) => (
        <section key={c}>
          <h3>{c}</h3>
          <div className="gallery-row">
            {templates.filter((t) => t.category === c).map((t) => (
              <button key={t.name} type="button" className={chosen === t.name ? 'template active' : 'template'}
                data-template={t.name} onClick={() => onChoose(t)}>
                <strong>{t.title}</strong><span className="muted">{t.description}</span>
              </button>
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

export function CreateProjectPage() {
  const templates = useAsync(() => api.templates(), []);
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<string | null>(null);
  const [original, setOriginal] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const check = useSchemaCheck(text);
  const canCreate = useUser()?.can_create_projects ?? false;

  const choose = (t: TemplateInfo) => {
    api.template(t.name).then((doc) => {
      const { template: _meta, ...schema } = doc;
      const json = JSON.stringify(schema, null, 2);
      setTemplate(t.name);
      setOriginal(json);
      setText(json);
      if (!name) setName(t.title);
    }, setError);
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    const body = text === original && template ? { name, template } : { name, schema: text };
    api.createProject(body).then((p) => navigate(`/projects/${p.id}/import`), setError);
  };

  return (
    <form className="create" onSubmit={create}>
      <div className="row">
        <h1>New project</h1>
        <span className="spacer" />
        <input name="name" placeholder="Project name" value={name} onChange={(e) => setName(e.target.value)} required aria-label="Project name" />
        <button type="submit" className="primary" disabled={!canCreate || !name || !check.schema || check.checking}>Create project</button>
      </div>
      {!canCreate && <p className="error" role="status">Only administrators create projects on this instance.</p>}
      <ErrorList error={error ?? templates.error} />
      {templates.data && <Gallery templates={templates.data} chosen={template} onChoose={choose} />}
      <SchemaEditor text={text} onText={setText} check={check} />
    </form>
  );
}
