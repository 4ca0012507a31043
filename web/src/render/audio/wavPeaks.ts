/** Waveform peaks straight from a WAV file's PCM (no decoding), for long recordings. */

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataOffset: number;
  dataLength: number;
  duration: number;
}

function tag(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/** Reads the RIFF header; null when this is not PCM (1) or float (3) WAV. */
export function parseWav(buffer: ArrayBuffer): WavInfo | null {
  const view = new DataView(buffer);
  if (buffer.byteLength < 12 || tag(view, 0) !== 'RIFF' || tag(view, 8) !== 'WAVE') return null;
  let at = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataLength' | 'duration'> | null = null;
  while (at + 8 <= buffer.byteLength) {
    const id = tag(view, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      fmt = { format: view.getUint16(at + 8, true), channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true), bitsPerSample: view.getUint16(at + 22, true) };
      if (fmt.format === 0xfffe && size >= 26) fmt.format = view.getUint16(at + 32, true);
    } else if (id === 'data' && fmt) {
      const dataLength = Math.min(size, buffer.byteLength - at - 8);
      const frame = fmt.channels * (fmt.bitsPerSample / 8);
      if (![1, 3].includes(fmt.format) || frame <= 0) return null;
      return { ...fmt, dataOffset: at + 8, dataLength, duration: dataLength / frame / fmt.sampleRate };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

function sampleReader(view: DataView, info: WavInfo): (byte: number) => number {
  const bits = info.bitsPerSample;
  if (info.format === 3) return bits === 64 ? (b) => view.getFloat64(b, true) : (b) => view.getFloat32(b, true);
  if (bits === 8) return (b) => (view.getUint8(b) - 128) / 128;
  if (bits === 16) return (b) => view.getInt16(b, true) / 32768;
  if (bits === 24) return (b) => ((view.getUint8(b) | (view.getUint8(b + 1) << 8) | (view.getInt8(b + 2) << 16)) / 8388608);
  return (b) => view.getInt32(b, true) / 2147483648;
}

/** Max and min of the first channel per bucket, interleaved [max0, min0, max1, min1, ...]. */
export function wavPeaks(buffer: ArrayBuffer, info: WavInfo, buckets: number): Float32Array {
  const view = new DataView(buffer);
  const read = sampleReader(view, info);
  const bytes = info.bitsPerSample / 8;
  const frame = bytes * info.channels;
  const frames = Math.floor(info.dataLength / frame);
  const n = Math.max(1, Math.min(buckets, frames));
  const out = new Float32Array(n * 2);
  const per = frames / n;
  // long buckets are sampled with a stride: peaks stay visible, work stays bounded
  const stride = Math.max(1, Math.floor(per / 64));
  for (let i = 0; i < n; i++) {
    let max = 0;
    let min = 0;
    const end = Math.min(frames, Math.floor((i + 1) * per));
    for (let f = Math.floor(i * per); f < end; f += stride) {
      const v = read(info.dataOffset + f * frame);
      if (v > max) max = v;
      if (v < min) min = v;
    }
    out[2 * i] = max;
    out[2 * i + 1] = min;
  }
  return out;
}
