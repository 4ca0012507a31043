/** The project's guidelines, and each label's own guideline. */
import type { LabelSchema } from '../../../editor/schema';
import { Markdown } from '../../components/Markdown';

export function GuidelinesPanel({ schema, onClose }: { schema: LabelSchema; onClose: () => void }) {
  const labelled = schema.controls.flatMap((c) => c.labels.filter((l) => l.guideline).map((l) => ({ control: c.name, ...l })));
  return (
    <aside className="guidelines card" aria-label="Guidelines">
      <div className="row"><h2>Guidelines</h2><span className="spacer" /><button type="button" onClick={onClose}>Close (F1)</button></div>
      {schema.guidelines ? <Markdown text={schema.guidelines} /> : <p>This project has no guidelines.</p>}
      {labelled.length > 0 && (
        <dl>{labelled.map((l) => <div key={`${l.control}:${l.value}`}><dt>{l.value}</dt><dd><Markdown text={l.guideline ?? ''} /></dd></div>)}</dl>
      )}
    </aside>
  );
}
