/** Choices: single or multi-label buttons. */
import type { ControlSpec } from '../../../../editor/schema';
import type { LabelingSession } from '../../../../editor/session';
import { selectedChoices } from '../../../../editor/tools/choices/classification';
import { useObservable } from '../../../useObservable';
import { LabelButton } from './LabelButton';

export function ChoicesControl({ control, session, readOnly }: { control: ControlSpec; session: LabelingSession; readOnly?: boolean }) {
  const { results } = useObservable(session.store);
  const chosen = selectedChoices(results, control);
  return (
    <div className="label-row" role={control.multiple ? 'group' : 'radiogroup'}>
      {control.labels.map((l) => (
        <LabelButton key={l.value} control={control.name} label={l} active={chosen.includes(l.value)} disabled={readOnly}
          onClick={() => session.applyLabel(control, l.value)} />
      ))}
    </div>
  );
}
