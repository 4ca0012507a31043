/** One task open for labelling: session, autosave, keyboard, submit. */
import { useMemo, useRef, useState } from 'react';
import type { AnnotationOut } from '../../../api/endpoints';
import { buildActions } from '../../../editor/catalog';
import type { LabelSchema } from '../../../editor/schema';
import { LabelingSession } from '../../../editor/session';
import { useObservable } from '../../useObservable';
import { GuidelinesPanel } from './GuidelinesPanel';
import { HelpOverlay } from './HelpOverlay';
import { KeysContext } from './keysContext';
import { LabelingScreen } from './LabelingScreen';
import type { LoadedTask } from './loadTask';
import { PredictionBanner } from './PredictionBanner';
import { StatusBar } from './StatusBar';
import { useAutosave } from './useAutosave';
import { useHotkeys } from './useHotkeys';
import { useKeymap } from './useKeymap';
import { useSubmit } from './useSubmit';

interface Props {
  schema: LabelSchema;
  task: LoadedTask;
  onDone: (annotation: AnnotationOut | null) => void;
}

export function Workbench({ schema, task, onDone }: Props) {
  const [help, setHelp] = useState(false);
  const [guidelines, setGuidelines] = useState(false);
  const session = useMemo(() => {
    const opened = new LabelingSession(schema, task.data, undefined, task.results, task.origin);
    opened.setMediaInfo(task.meta);
    return opened;
  }, [schema, task]);
  const opened = useRef(performance.now());
  const leadTime = () => Math.round((task.leadTime + (performance.now() - opened.current) / 1000) * 1000) / 1000;
  const autosave = useAutosave(session, { taskId: task.id, baseVersion: task.baseVersion, leadTime, enabled: true });
  const submit = useSubmit(session, task, leadTime, autosave.markSaved, onDone);
  session.hooks = { submit: submit.submit, skip: submit.skip, toggleHelp: () => setHelp((h) => !h),
    toggleGuidelines: () => setGuidelines((g) => !g) };
  const actions = useMemo(() => buildActions(session), [session]);
  const keymap = useKeymap(actions);
  useHotkeys(actions, keymap.overrides, !help);
  const state = useObservable(session.store);

  return (
    <KeysContext.Provider value={{ actions, overrides: keymap.overrides }}>
      <div className="workbench" data-task-id={task.id}>
        <div className="task-head">
          <strong>Task #{task.id}</strong>
          {task.annotation && <span className="badge">editing your annotation v{task.annotation.version}</span>}
          {task.needsRelabel && <span className="badge warn">needs relabeling after a schema change</span>}
          {state.origin === 'draft' && <span className="badge">draft</span>}
        </div>
        {task.prediction && <PredictionBanner prediction={task.prediction} session={session} origin={state.origin} onAccept={submit.submit} />}
        <StatusBar save={autosave.status} submit={submit.state} editing={task.annotation !== null}
          onSubmit={submit.submit} onSkip={submit.skip} onOverwrite={submit.overwrite} onKeepMine={autosave.keepMine}
          onHelp={() => setHelp(true)} onGuidelines={() => setGuidelines((g) => !g)}
          canUndo={state.canUndo} canRedo={state.canRedo} onUndo={() => session.store.undo()} onRedo={() => session.store.redo()} />
        <div className="workbench-body">
          <LabelingScreen session={session} />
          {guidelines && <GuidelinesPanel schema={schema} onClose={() => setGuidelines(false)} />}
        </div>
        {help && <HelpOverlay onClose={() => setHelp(false)} onRemap={keymap.change} onReset={keymap.reset} />}
      </div>
    </KeysContext.Provider>
  );
}
