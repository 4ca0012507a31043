/** Transport state of a wavesurfer instance, registered as the session's keyboard player. */
import { useEffect, useState } from 'react';
import type WaveSurfer from 'wavesurfer.js';
import type { LabelingSession, PlayerControls } from '../../editor/session';

export interface Player extends PlayerControls {
  playing: boolean;
  time: number;
  duration: number;
  rate: number;
  setRate(rate: number): void;
}

export function usePlayer(ws: WaveSurfer | null, session: LabelingSession): Player {
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [rate, setRateState] = useState(1);
  const [pxPerSec, setPxPerSec] = useState(0);
  const duration = ws?.getDuration() ?? 0;

  const setRate = (r: number) => {
    const next = Math.max(0.25, Math.min(4, r));
    ws?.setPlaybackRate(next);
    setRateState(next);
  };
  const controls: PlayerControls = {
    playPause: () => void ws?.playPause(),
    seek: (d) => ws?.setTime(Math.max(0, Math.min(duration, ws.getCurrentTime() + d))),
    speed: (d) => setRate(rate + d),
    zoom: (f) => {
      if (!ws) return;
      const width = ws.getWrapper().clientWidth || 800;
      const base = pxPerSec || width / Math.max(duration, 0.001);
      const next = Math.max(1, Math.min(5000, base * f));
      ws.zoom(next);
      setPxPerSec(next);
    },
    currentTime: () => ws?.getCurrentTime() ?? 0,
  };

  useEffect(() => {
    if (!ws) return;
    const offs = [
      ws.on('play', () => setPlaying(true)),
      ws.on('pause', () => setPlaying(false)),
      ws.on('timeupdate', (t) => setTime(t)),
    ];
    return () => offs.forEach((off) => off());
  }, [ws]);

  session.player = controls;
  return { ...controls, playing, time, duration, rate, setRate };
}
