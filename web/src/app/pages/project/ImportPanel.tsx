/** Upload files (drag and drop or pick): JSON, JSONL, CSV, media, zip; progress and per-record errors. */
import { useRef, useState, type DragEvent } from 'react';
import type { ImportReport } from '../../../api/endpoints';
import { uploadFiles } from '../../../api/upload';
import { ErrorList } from '../../components/ErrorList';
import { Link } from '../../components/Link';
import { importMessage } from './importMessage';

type State = { kind: 'idle' } | { kind: 'uploading'; progress: number; abort: () => void }
  | { kind: 'done'; report: ImportReport } | { kind: 'error'; error: unknown };

export function ImportPanel({ projectId, onImported }: { projectId: number; onImported: () => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = (files: File[]) => {
    if (!files.length) return;
    const handle = uploadFiles(projectId, files, (progress) => setState((s) => (s.kind === 'uploading' ? { ...s, progress } : s)));
    setState({ kind: 'uploading', progress: 0, abort: handle.abort });
    handle.done.then((report) => { setState({ kind: 'done', report }); onImported(); }, (error: unknown) => setState({ kind: 'error', error }));
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    send([...e.dataTransfer.files]);
  };

  return (
    <div className="import">
      <div className={over ? 'dropzone over' : 'dropzone'} onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)} onDrop={onDrop} onClick={() => input.current?.click()} role="button" tabIndex={0}>
        <p><strong>Drop files here</strong> or click to choose</p>
        <p className="muted">JSON, JSONL or CSV task files; images, audio, video or text files; a zip of them.</p>
        <input ref={input} type="file" multiple hidden name="files" data-testid="import-files"
          onChange={(e) => send([...(e.target.files ?? [])])} />
      </div>
      {state.kind === 'uploading' && (
        <div className="upload-progress">
          <progress max={1} value={state.progress} /> {Math.round(state.progress * 100)}%
          {state.progress >= 1 && <span className="muted"> processing…</span>}
          <button type="button" className="link" onClick={state.abort}>Cancel</button>
        </div>
      )}
      {state.kind === 'done' && (
        <div className="ok" role="status" data-imported={state.report.imported}>
          {importMessage(state.report)}{' '}
          <Link to={`/projects/${projectId}`}>See the data</Link>
        </div>
      )}
      {state.kind === 'error' && <><p>Nothing was imported: fix these records and upload again.</p><ErrorList error={state.error} /></>}
    </div>
  );
}
