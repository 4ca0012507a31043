/** Rating, number and free text controls. */
import type { ControlSpec } from '../../../../editor/schema';
import type { LabelingSession } from '../../../../editor/session';
import { findTaskResult, setNumber, setRating, setText } from '../../../../editor/tools/choices/classification';
import { useObservable } from '../../../useObservable';

interface Props {
  control: ControlSpec;
  session: LabelingSession;
  readOnly?: boolean;
}

export function RatingControl({ control, session, readOnly }: Props) {
  const { results } = useObservable(session.store);
  const value = Number(findTaskResult(results, control)?.value.rating ?? 0);
  const max = control.max ?? 5;
  return (
    <div className="rating" role="radiogroup">
      {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
        <button key={n} type="button" className={n <= value ? 'star on' : 'star'} disabled={readOnly} aria-label={`${n} of ${max}`}
          onClick={() => session.store.commit((rs) => setRating(rs, control, n === value ? null : n))}>★</button>
      ))}
    </div>
  );
}

export function NumberControl({ control, session, readOnly }: Props) {
  const { results } = useObservable(session.store);
  const value = findTaskResult(results, control)?.value.number;
  return (
    <input type="number" min={control.min} max={control.max} step={control.step ?? 'any'} disabled={readOnly}
      value={typeof value === 'number' ? value : ''} name={control.name}
      onChange={(e) => session.store.commit((rs) => setNumber(rs, control, e.target.value === '' ? null : Number(e.target.value)),
        { coalesce: `number:${control.name}` })} />
  );
}

export function TextareaControl({ control, session, readOnly }: Props) {
  const { results } = useObservable(session.store);
  const texts = findTaskResult(results, control)?.value.text;
  const value = Array.isArray(texts) ? String(texts[0] ?? '') : '';
  return (
    <textarea rows={3} value={value} disabled={readOnly} maxLength={control.max_length} name={control.name}
      onChange={(e) => session.store.commit((rs) => setText(rs, control, e.target.value), { coalesce: `text:${control.name}` })} />
  );
}
