/** Export a project: pick a format, download the file, then see what the format left out. */
import { useState } from 'react';
import { api } from '../../../api/endpoints';
import { exportProject, saveFile, type ExportReport } from '../../../api/exports';
import { ErrorList } from '../../components/ErrorList';
import { useAsync } from '../../useAsync';
import { exportedMessage, exportReportText } from './exportReport';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'error'; error: unknown }
  | { kind: 'done'; format: string; report: ExportReport | null };

export interface Exporting {
  state: State;
  run: (format: string, title: string) => void;
  dismiss: () => void;
}

export function useExport(projectId: number): Exporting {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const run = (format: string, title: string) => {
    setState({ kind: 'busy' });
    exportProject(projectId, format).then((file) => {
      saveFile(file);
      setState({ kind: 'done', format: title, report: file.report });
    }, (error: unknown) => setState({ kind: 'error', error }));
  };
  return { state, run, dismiss: () => setState({ kind: 'idle' }) };
}

/** The format picker and the button, for the project's header row. */
export function ExportControls({ exporting }: { exporting: Exporting }) {
  const formats = useAsync(() => api.formats(), []);
  const [format, setFormat] = useState('json');
  const title = formats.data?.find((f) => f.name === format)?.title ?? format;
  return (
    <span className="row">
      <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value)}>
        {(formats.data ?? [{ name: 'json', title: 'Postil JSON' }]).map((f) => <option key={f.name} value={f.name}>{f.title}</option>)}
      </select>
      <button type="button" disabled={exporting.state.kind === 'busy'} onClick={() => exporting.run(format, title)}>
        {exporting.state.kind === 'busy' ? 'Exporting…' : 'Export'}
      </button>
    </span>
  );
}

/** After an export: its count, and item by item what the format could not carry. */
export function ExportOutcome({ exporting }: { exporting: Exporting }) {
  const { state } = exporting;
  if (state.kind === 'error') return <ErrorList error={state.error} />;
  if (state.kind !== 'done' || !state.report) return null;
  return <ExportReportView report={state.report} format={state.format} onClose={exporting.dismiss} />;
}

export function ExportReportView({ report, format, onClose }: { report: ExportReport; format: string; onClose: () => void }) {
  const text = exportReportText(report, format);
  const close = <button type="button" className="link" onClick={onClose}>Close</button>;
  if (!text) return <div className="ok" role="status" data-testid="export-done">{exportedMessage(report, format)} {close}</div>;
  return (
    <div className="warning" role="status" data-testid="export-report">
      <strong>{text.summary}</strong>
      <ul>{text.items.map((item, i) => <li key={i}>{item}</li>)}</ul>
      {text.more && <p>{text.more}</p>}
      {close}
    </div>
  );
}
