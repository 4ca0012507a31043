/** Creates wavesurfer for a URL: long WAV files use peaks computed in a worker (no decoding). */
import { useEffect, useState, type RefObject } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.js';
import { loadPeaks } from './loadPeaks';

/** Longer recordings are drawn from peaks; shorter ones are decoded (the spectrogram needs samples). */
export const LONG_AUDIO_SECONDS = 600;

export interface WaveState {
  ws: WaveSurfer | null;
  regions: RegionsPlugin | null;
  decoded: boolean;
  error: string | null;
  loadMs: number | null;
}

export function useWaveSurfer(container: RefObject<HTMLDivElement | null>, url: string): WaveState {
  const [state, setState] = useState<WaveState>({ ws: null, regions: null, decoded: false, error: null, loadMs: null });
  useEffect(() => {
    let cancelled = false;
    let instance: WaveSurfer | null = null;
    const t0 = performance.now();
    setState({ ws: null, regions: null, decoded: false, error: null, loadMs: null });
    loadPeaks(url).then((peaks) => {
      if (cancelled || !container.current) return;
      const usePeaks = peaks.ok && peaks.duration > LONG_AUDIO_SECONDS;
      const regions = RegionsPlugin.create();
      instance = WaveSurfer.create({
        container: container.current, url, height: 110, normalize: true, waveColor: '#7a8ca3',
        progressColor: '#2f4f7f', cursorColor: '#d33', dragToSeek: false, autoScroll: true,
        plugins: [regions, TimelinePlugin.create({ height: 14 })],
        ...(usePeaks && peaks.ok ? { peaks: [peaks.peaks], duration: peaks.duration } : {}),
      });
      const ws = instance;
      ws.on('ready', () => {
        if (!cancelled) setState({ ws, regions, decoded: !usePeaks, error: null, loadMs: performance.now() - t0 });
      });
      ws.on('error', (err) => !cancelled && setState((s) => ({ ...s, error: String(err) })));
    });
    return () => {
      cancelled = true;
      instance?.destroy();
    };
  }, [url, container]);
  return state;
}
