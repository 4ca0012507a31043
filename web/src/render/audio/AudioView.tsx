/** An audio object: waveform, segments as regions, transport, speed, zoom and a spectrogram. */
import { useEffect, useRef, useState } from 'react';
import SpectrogramPlugin from 'wavesurfer.js/dist/plugins/spectrogram.js';
import type { LabelingSession } from '../../editor/session';
import { syncRegions } from './regionSync';
import { useWaveSurfer } from './useWaveSurfer';
import { usePlayer } from './usePlayer';

interface Props {
  session: LabelingSession;
  objectName: string;
  url: string;
  readOnly?: boolean;
}

export function AudioView({ session, objectName, url, readOnly }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const spectrogramBox = useRef<HTMLDivElement>(null);
  const { ws, regions, decoded, error, loadMs } = useWaveSurfer(container, url);
  const player = usePlayer(ws, session);
  const [spectrogram, setSpectrogram] = useState(false);
  const tool = [...session.audioTools.values()].find((t) => t.object === objectName);

  useEffect(() => {
    if (!ws || !regions) return;
    session.setDuration(objectName, ws.getDuration());
    const editable = !readOnly && tool !== undefined;
    const sync = () => syncRegions(regions, session, objectName, editable);
    sync();
    const offStore = session.store.subscribe(sync);
    const offs = [
      regions.on('region-created', (region) => {
        if (session.store.results.some((r) => r.id === region.id)) return;
        region.remove();
        if (editable) tool?.add(region.start, region.end);
      }),
      regions.on('region-updated', (region) => tool?.update(region.id, region.start, region.end)),
      regions.on('region-clicked', (region, e) => {
        e.stopPropagation();
        session.clickRegion(region.id);
        ws.setTime(region.start);
      }),
    ];
    const offDrag = editable ? regions.enableDragSelection({ color: 'rgba(47, 79, 127, 0.2)' }) : () => {};
    return () => {
      offStore();
      offs.forEach((off) => off());
      offDrag();
    };
  }, [ws, regions, session, objectName, readOnly, tool]);

  useEffect(() => {
    if (!ws || !spectrogram || !decoded || !spectrogramBox.current) return;
    const plugin = ws.registerPlugin(SpectrogramPlugin.create({ container: spectrogramBox.current, labels: true, height: 128, scale: 'mel' }));
    return () => plugin.destroy();
  }, [ws, spectrogram, decoded]);

  return (
    <div className="audioview" data-object={objectName} data-ready={ws ? 'true' : 'false'} data-load-ms={loadMs ?? ''}>
      <div className="audio-toolbar">
        <button type="button" onClick={player.playPause} disabled={!ws} title="Play / pause (Space)">{player.playing ? 'Pause' : 'Play'}</button>
        <span className="mono">{player.time.toFixed(2)} / {player.duration.toFixed(2)} s</span>
        <label>Speed <select value={player.rate} onChange={(e) => player.setRate(Number(e.target.value))}>
          {[0.5, 0.75, 1, 1.25, 1.5, 2].map((r) => <option key={r} value={r}>{r}×</option>)}
        </select></label>
        <button type="button" onClick={() => player.zoom(0.5)} title="Zoom out (-)">−</button>
        <button type="button" onClick={() => player.zoom(2)} title="Zoom in (=)">+</button>
        <label title={decoded ? '' : 'available for recordings under 10 minutes'}>
          <input type="checkbox" checked={spectrogram} disabled={!decoded} onChange={(e) => setSpectrogram(e.target.checked)} /> Spectrogram
        </label>
        {!readOnly && tool && <span className="muted">Drag on the waveform to draw a segment, or press [ twice.</span>}
      </div>
      {!ws && !error && <div className="muted">Loading audio…</div>}
      {error && <div className="error">Audio failed to load: {error}</div>}
      <div ref={container} className="waveform" />
      <div ref={spectrogramBox} className="spectrogram" />
    </div>
  );
}
