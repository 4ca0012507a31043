/** Results pre-filled from a model: accept as is, edit, or clear. */
import type { PredictionOut } from '../../../api/endpoints';
import type { LabelingSession } from '../../../editor/session';
import type { EditorState } from '../../../editor/store';

interface Props {
  prediction: PredictionOut;
  session: LabelingSession;
  origin: EditorState['origin'];
  onAccept: () => void;
}

export function PredictionBanner({ prediction, session, origin, onAccept }: Props) {
  const untouched = origin === 'prediction';
  return (
    <div className="prediction-banner" data-prediction={untouched ? 'untouched' : 'edited'}>
      <strong>Prediction</strong> from {prediction.model_version || 'a model'}
      {prediction.score !== null && prediction.score !== undefined && <> (score {prediction.score.toFixed(2)})</>}
      {untouched ? ': pre-filled, not yet reviewed.' : ': edited by you.'}
      <span className="spacer" />
      {untouched && <button type="button" onClick={onAccept}>Accept as is</button>}
      <button type="button" onClick={() => session.store.commit(() => [])}>Clear</button>
    </div>
  );
}
