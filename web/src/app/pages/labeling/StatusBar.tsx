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

const SAVE_TEXT: Record<'idle' | 'dirty' | 'saving' | 'saved', string> = { idle: 'No changes', dirty: 'Unsaved changes', saving: 'Saving draft…', saved: 'Draft saved' };

function saveText(save: SaveStatus): string {
  switch (save.kind) {
    case 'error': return `Save failed: ${save.message}`;
    case 'invalid': return 'Draft not saved: the server refused it (fix the problems below; saving resumes on the next change)';
    case 'conflict': return 'A newer submission exists';
    default: return SAVE_TEXT[save.kind] ?? '';
  }
}

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
        {saveText(p.save)}
      </span>
      {p.save.kind === 'conflict' && <button type="button" onClick={p.onKeepMine}>Keep my draft on top of it</button>}
      <span className="spacer" />
      {!p.editing && <button type="button" onClick={p.onSkip} disabled={p.submit.kind === 'busy'}>Skip <kbd>{skipKey}</kbd></button>}
      <button type="button" className="primary" onClick={p.onSubmit} disabled={p.submit.kind === 'busy'} data-testid="submit">
        {p.editing ? 'Update' : 'Submit'} <kbd>{submitKey}</kbd>
      </button>
      {p.save.kind === 'invalid' && p.submit.kind !== 'error' && (
        <div className="statusbar-error" data-testid="draft-refused"><ErrorList error={p.save.error} /></div>
      )}
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
