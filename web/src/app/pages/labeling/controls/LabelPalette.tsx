/** Labels of a region control (span, segment, relation): pick the label for new or selected regions. */
import { labelsOf } from '../../../../editor/result';
import type { ControlSpec } from '../../../../editor/schema';
import type { LabelingSession } from '../../../../editor/session';
import { useObservable } from '../../../useObservable';
import { useKeyOf } from '../keysContext';
import { LabelButton } from './LabelButton';
import type { AudioRegionTool } from '../../../../editor/tools/audio-region/audioRegionTool';
import { Observable } from '../../../../editor/observable';

const idle = new Observable<{ activeLabel: string | null }>({ activeLabel: null });

function useActiveLabel(tool: AudioRegionTool | undefined): string | null {
  return useObservable<{ activeLabel: string | null }>(tool ?? idle).activeLabel;
}

export function LabelPalette({ control, session, readOnly }: { control: ControlSpec; session: LabelingSession; readOnly?: boolean }) {
  const { selectedId, results } = useObservable(session.store);
  const selected = results.find((r) => r.id === selectedId);
  const activeLabel = useActiveLabel(session.audioTools.get(control.name));
  const linkKey = useKeyOf('relation.start');
  const current = selected?.control === control.name ? labelsOf(selected) : (activeLabel ? [activeLabel] : []);
  return (
    <div>
      <div className="label-row">
        {control.labels.map((l) => (
          <LabelButton key={l.value} control={control.name} label={l} active={current.includes(l.value)} disabled={readOnly}
            onClick={() => session.applyLabel(control, l.value)} />
        ))}
      </div>
      {control.type === 'relation' && !readOnly && (
        <button type="button" className="small" onClick={() => session.startRelation()}>
          Link selected span… {linkKey && <kbd>{linkKey}</kbd>}
        </button>
      )}
      {control.type === 'span' && <p className="hint">Select text (mouse, or Shift+Arrows in the text), then press a label key.</p>}
    </div>
  );
}
