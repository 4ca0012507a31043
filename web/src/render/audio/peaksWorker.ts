/** Worker: fetches an audio file and computes its waveform peaks off the main thread. */
import { parseWav, wavPeaks } from './wavPeaks';

export interface PeaksRequest {
  url: string;
  perSecond: number;
  maxBuckets: number;
}

export type PeaksResponse = { ok: true; peaks: Float32Array; duration: number } | { ok: false; reason: string };

self.onmessage = async (event: MessageEvent<PeaksRequest>) => {
  const { url, perSecond, maxBuckets } = event.data;
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const buffer = await response.arrayBuffer();
    const info = parseWav(buffer);
    if (!info) {
      (self as unknown as Worker).postMessage({ ok: false, reason: 'not a PCM WAV file' } satisfies PeaksResponse);
      return;
    }
    const buckets = Math.min(maxBuckets, Math.ceil(info.duration * perSecond));
    const peaks = wavPeaks(buffer, info, buckets);
    (self as unknown as Worker).postMessage({ ok: true, peaks, duration: info.duration } satisfies PeaksResponse, [peaks.buffer]);
  } catch (err) {
    (self as unknown as Worker).postMessage({ ok: false, reason: String(err) } satisfies PeaksResponse);
  }
};
