/** Schema text (YAML or JSON) with live server checks, errors by location, and a preview. */
import { ErrorList } from '../../components/ErrorList';
import { SchemaPreview } from './SchemaPreview';
import type { SchemaCheck } from './useSchemaCheck';

export function SchemaEditor({ text, onText, check }: { text: string; onText: (t: string) => void; check: SchemaCheck }) {
  return (
    <div className="schema-editor">
      <div className="schema-text">
        <label htmlFor="schema-text">Label schema (YAML or JSON)</label>
        <textarea id="schema-text" spellCheck={false} value={text} onChange={(e) => onText(e.target.value)} rows={24} />
        <div className="schema-state" data-valid={check.error ? 'false' : check.schema ? 'true' : ''}>
          {check.checking ? <span className="muted">checking…</span> : check.error ? null : check.schema ? <span className="ok">Schema is valid</span> : null}
        </div>
        <ErrorList error={check.error} />
      </div>
      <div className="schema-preview">
        <h3>Preview</h3>
        {check.schema ? <SchemaPreview schema={check.schema} /> : <p className="muted">The preview appears when the schema is valid.</p>}
      </div>
    </div>
  );
}
