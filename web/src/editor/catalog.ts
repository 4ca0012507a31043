/** The labeling screen's actions with their default keys; the help overlay lists these. */
import type { Action } from './actions';
import { normalizeCombo } from './keymap';
import type { LabelingSession } from './session';

const LABEL_KINDS = new Set(['choices', 'span', 'segment', 'relation']);

function labelActions(session: LabelingSession): Action[] {
  const actions: Action[] = [];
  for (const control of session.schema.controls) {
    if (!LABEL_KINDS.has(control.type)) continue;
    for (const label of control.labels) {
      actions.push({ id: `label:${control.name}:${label.value}`, title: `${control.name}: ${label.value}`,
        group: 'Labels', keys: label.hotkey ? [normalizeCombo(label.hotkey)] : [],
        hint: label.guideline, run: () => session.applyLabel(control, label.value) });
    }
  }
  return actions;
}

function editActions(s: LabelingSession): Action[] {
  const hasRegions = s.schema.controls.some((c) => ['span', 'segment', 'relation'].includes(c.type));
  const list: Action[] = [
    { id: 'submit', title: 'Submit', group: 'Annotation', keys: ['Ctrl+Enter'], inInput: true, run: () => s.hooks.submit() },
    { id: 'skip', title: 'Skip task', group: 'Annotation', keys: ['Ctrl+Shift+s'], inInput: true, run: () => s.hooks.skip() },
    { id: 'undo', title: 'Undo', group: 'Annotation', keys: ['Ctrl+z'], run: () => s.store.undo() },
    { id: 'redo', title: 'Redo', group: 'Annotation', keys: ['Ctrl+Shift+z', 'Ctrl+y'], run: () => s.store.redo() },
  ];
  if (hasRegions) {
    list.push(
      { id: 'region.next', title: 'Next region', group: 'Regions', keys: ['Tab'], run: () => s.selectNext(1) },
      { id: 'region.previous', title: 'Previous region', group: 'Regions', keys: ['Shift+Tab'], run: () => s.selectNext(-1) },
      { id: 'region.delete', title: 'Delete selected region', group: 'Regions', keys: ['Delete', 'Backspace'],
        run: () => s.deleteSelected() },
      { id: 'region.deselect', title: 'Deselect / cancel', group: 'Regions', keys: ['Escape'], run: () => s.escape() },
    );
  }
  return list;
}

function toolActions(s: LabelingSession): Action[] {
  const list: Action[] = [];
  if (s.relationTools.size) {
    list.push({ id: 'relation.start', title: 'Link selected span to… (then click or Tab+Enter the target)',
      group: 'Regions', keys: ['Alt+r'], run: () => s.startRelation() });
  }
  if (s.spanTools.size) {
    list.push({ id: 'span.snap', title: 'Snap selections to words on/off', group: 'Text', keys: ['Alt+w'],
      run: () => s.spanTools.forEach((t) => t.setSnap(!t.getState().snap)) });
  }
  if (s.hasMedia()) {
    const p = () => s.player;
    list.push(
      { id: 'media.play', title: 'Play / pause', group: 'Audio', keys: ['Space'], run: () => p()?.playPause() },
      { id: 'media.back', title: 'Back 1 s', group: 'Audio', keys: ['ArrowLeft'], run: () => p()?.seek(-1) },
      { id: 'media.forward', title: 'Forward 1 s', group: 'Audio', keys: ['ArrowRight'], run: () => p()?.seek(1) },
      { id: 'media.slower', title: 'Slower', group: 'Audio', keys: ['Alt+ArrowDown'], run: () => p()?.speed(-0.25) },
      { id: 'media.faster', title: 'Faster', group: 'Audio', keys: ['Alt+ArrowUp'], run: () => p()?.speed(0.25) },
      { id: 'media.zoomIn', title: 'Zoom in', group: 'Audio', keys: ['='], run: () => p()?.zoom(2) },
      { id: 'media.zoomOut', title: 'Zoom out', group: 'Audio', keys: ['-'], run: () => p()?.zoom(0.5) },
    );
  }
  if (s.audioTools.size) {
    list.push({ id: 'segment.mark', title: 'Mark segment start, then end, at the playhead', group: 'Audio',
      keys: ['['], run: () => s.markSegment() });
  }
  return list;
}

export function buildActions(session: LabelingSession): Action[] {
  return [
    ...editActions(session),
    ...labelActions(session),
    ...toolActions(session),
    { id: 'help', title: 'Keyboard shortcuts', group: 'View', keys: ['?'], run: () => session.hooks.toggleHelp() },
    { id: 'guidelines', title: 'Project guidelines', group: 'View', keys: ['F1'], inInput: true,
      run: () => session.hooks.toggleGuidelines() },
  ];
}
