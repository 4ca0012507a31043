/** Save state, submit and skip buttons, and the errors to resolve. */
import { ErrorList } from '../../components/ErrorList';
import type { SaveStatus } from './useAutosave';
import type { SubmitState } from './useSubmit';
import { useKeyOf } from './keysContext';

interface Props {
  save: SaveStatus;
  submit: SubmitState;
  editing: boolean;
  onSubmit: () => void;
  onSkip: () => void;
  onOverwrite: () => void;
  onKeepMine: () => void;
  onHelp: () => void;
  onGuidelines: () => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
}

const SAVE_TEXT: Record<string, string> = { idle: 'No changes', dirty: 'Unsaved changes', saving: 'Saving draft…', saved: 'Draft saved' };

export function StatusBar(p: Props) {
  const submitKey = useKeyOf('submit');
  const skipKey = useKeyOf('skip');
  const undoKey = useKeyOf('undo');
  const redoKey = useKeyOf('redo');
  const helpKey = useKeyOf('help');
  return (
    <div className="statusbar">
      <button type="button" onClick={p.onUndo} disabled={!p.canUndo} title={`Undo (${undoKey})`}>Undo</button>
      <button type="button" onClick={p.onRedo} disabled={!p.canRedo} title={`Redo (${redoKey})`}>Redo</button>
      <button type="button" onClick={p.onHelp} title="Keyboard shortcuts">Shortcuts <kbd>{helpKey}</kbd></button>
      <button type="button" onClick={p.onGuidelines}>Guidelines <kbd>F1</kbd></button>
      <span className={`save-status ${p.save.kind}`} data-save={p.save.kind} role="status">
        {p.save.kind === 'error' ? `Save failed: ${p.save.message}` : p.save.kind === 'conflict' ? 'A newer submission exists' : SAVE_TEXT[p.save.kind]}
      </span>
      {p.save.kind === 'conflict' && <button type="button" onClick={p.onKeepMine}>Keep my draft on top of it</button>}
      <span className="spacer" />
      {!p.editing && <button type="button" onClick={p.onSkip} disabled={p.submit.kind === 'busy'}>Skip <kbd>{skipKey}</kbd></button>}
      <button type="button" className="primary" onClick={p.onSubmit} disabled={p.submit.kind === 'busy'} data-testid="submit">
        {p.editing ? 'Update' : 'Submit'} <kbd>{submitKey}</kbd>
      </button>
      {p.submit.kind === 'error' && <div className="statusbar-error"><ErrorList error={p.submit.error} /></div>}
      {p.submit.kind === 'conflict' && (
        <div className="statusbar-error error">
          You already submitted this task (version {p.submit.current.version}).
          <button type="button" onClick={p.onOverwrite}>Replace it with this one</button>
        </div>
      )}
    </div>
  );
}
