/** A label as a button: colour, hotkey shown; a long name is cut short with an ellipsis, and the
 * full name (with the label's guideline) shows on hover. */
import type { LabelSpec } from '../../../../editor/schema';
import { useKeyOf } from '../keysContext';

interface Props {
  control: string;
  label: LabelSpec;
  active: boolean;
  onClick: () => void;
  disabled?: boolean;
}

export function LabelButton({ control, label, active, onClick, disabled }: Props) {
  const key = useKeyOf(`label:${control}:${label.value}`);
  return (
    <button type="button" className={active ? 'label-btn active' : 'label-btn'} onClick={onClick} disabled={disabled}
      style={{ borderColor: label.color, background: active ? label.color : undefined }}
      title={label.guideline ? `${label.value}\n\n${label.guideline}` : label.value} aria-pressed={active} data-label={label.value}>
      <span className="swatch" style={{ background: label.color }} />
      <span className="label-name">{label.value}</span>
      {key && <kbd>{key}</kbd>}
    </button>
  );
}
