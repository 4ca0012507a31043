/** A video object: the browser's player, wired to the keyboard's play/seek/speed actions. */
import { useEffect, useRef } from 'react';
import type { LabelingSession } from '../../editor/session';

export function VideoView({ url, objectName, session }: { url: string; objectName: string; session: LabelingSession }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = video.current;
    if (!v || session.player) return;
    session.player = {
      playPause: () => (v.paused ? void v.play() : v.pause()),
      seek: (d) => { v.currentTime = Math.max(0, v.currentTime + d); },
      speed: (d) => { v.playbackRate = Math.max(0.25, Math.min(4, v.playbackRate + d)); },
      zoom: () => {},
      currentTime: () => v.currentTime,
    };
    return () => { session.player = null; };
  }, [session]);
  return (
    <div className="videoview" data-object={objectName}>
      <video ref={video} src={url} controls preload="metadata" />
    </div>
  );
}
