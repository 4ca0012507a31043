/** Every shortcut, generated from the actions; click a key to remap it (saved in this browser).
 * Escape or the help key itself (`?` unless remapped) closes it. */
import { useContext, useState } from 'react';
import { groupActions, keysOf } from '../../../editor/actions';
import { comboOf, displayCombo } from '../../../editor/keymap';
import { Dialog } from '../../components/Dialog';
import { KeysContext } from './keysContext';

interface Props {
  onClose: () => void;
  onRemap: (actionId: string, combo: string) => void;
  onReset: () => void;
}

export function HelpOverlay({ onClose, onRemap, onReset }: Props) {
  const { actions, overrides } = useContext(KeysContext);
  const [listening, setListening] = useState<string | null>(null);
  const help = actions.find((a) => a.id === 'help');
  return (
    <Dialog label="Keyboard shortcuts" className="help" onClose={onClose}>
      <div
        onKeyDownCapture={(e) => {
          if (!listening) return;
          // the key pressed is the new binding (Escape gives up): it must not close the dialog
          e.preventDefault();
          e.stopPropagation();
          if (['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) return;
          if (e.key !== 'Escape') onRemap(listening, comboOf(e));
          setListening(null);
        }}
        onKeyDown={(e) => {
          if (help && keysOf(help, overrides).includes(comboOf(e))) {
            e.preventDefault();
            onClose();
          }
        }}>
        <div className="row"><h2>Keyboard shortcuts</h2><span className="spacer" />
          <button type="button" onClick={onReset}>Reset keys</button>
          <button type="button" onClick={onClose} data-autofocus>Close</button></div>
        {groupActions(actions).map(([group, list]) => (
          <section key={group}>
            <h3>{group}</h3>
            <table className="shortcuts"><tbody>
              {list.map((a) => (
                <tr key={a.id} data-action={a.id}>
                  <td title={a.hint}>{a.title}</td>
                  <td>
                    <button type="button" className="keycap" onClick={() => setListening(a.id)}>
                      {listening === a.id ? 'press a key…' : keysOf(a, overrides).map(displayCombo).join(' / ') || '—'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody></table>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
