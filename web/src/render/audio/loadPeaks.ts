/** Runs the peaks worker for one URL. */
import type { PeaksResponse } from './peaksWorker';

export function loadPeaks(url: string, perSecond = 100, maxBuckets = 400_000): Promise<PeaksResponse> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./peaksWorker.ts', import.meta.url), { type: 'module' });
    } catch (err) {
      resolve({ ok: false, reason: String(err) });
      return;
    }
    worker.onmessage = (e: MessageEvent<PeaksResponse>) => {
      resolve(e.data);
      worker.terminate();
    };
    worker.onerror = (e) => {
      resolve({ ok: false, reason: e.message });
      worker.terminate();
    };
    worker.postMessage({ url, perSecond, maxBuckets });
  });
}
