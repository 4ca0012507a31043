/** Every control of the schema, in order, with its widget. */
import { isTaskLevel, type ControlSpec } from '../../../editor/schema';
import type { LabelingSession } from '../../../editor/session';
import { ChoicesControl } from './controls/ChoicesControl';
import { LabelPalette } from './controls/LabelPalette';
import { TaxonomyControl } from './controls/TaxonomyControl';
import { NumberControl, RatingControl, TextareaControl } from './controls/ValueControls';

function Widget({ control, session, readOnly }: { control: ControlSpec; session: LabelingSession; readOnly?: boolean }) {
  const props = { control, session, readOnly };
  switch (control.type) {
    case 'choices': return <ChoicesControl {...props} />;
    case 'rating': return <RatingControl {...props} />;
    case 'number': return <NumberControl {...props} />;
    case 'textarea': return <TextareaControl {...props} />;
    case 'taxonomy': return <TaxonomyControl {...props} />;
    case 'span':
    case 'segment':
    case 'relation': return <LabelPalette {...props} />;
    default: return <p className="muted">The {control.type} tool is not in the web app yet.</p>;
  }
}

export function ControlsPanel({ session, readOnly }: { session: LabelingSession; readOnly?: boolean }) {
  const controls = session.schema.controls.filter((c) => !(c.type === 'textarea' && c.per_region));
  return (
    <div className="controls">
      {controls.map((c) => (
        <fieldset key={c.name} className="control" data-control={c.name}>
          <legend>{c.name}{c.required ? ' *' : ''}{isTaskLevel(c) && c.multiple ? ' (any)' : ''}</legend>
          <Widget control={c} session={session} readOnly={readOnly} />
        </fieldset>
      ))}
    </div>
  );
}
