import { describe, expect, it } from 'vitest';
import { parseWav, wavPeaks } from './wavPeaks';

function wav16(samples: number[], rate = 8000): ArrayBuffer {
  const buf = new ArrayBuffer(44 + samples.length * 2);
  const v = new DataView(buf);
  const w = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  w(0, 'RIFF'); v.setUint32(4, 36 + samples.length * 2, true); w(8, 'WAVE');
  w(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  w(36, 'data'); v.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => v.setInt16(44 + i * 2, Math.round(s * 32767), true));
  return buf;
}

describe('wav peaks', () => {
  it('reads the header and computes max/min per bucket', () => {
    const buf = wav16([0.5, -0.25, 0, 0, 1, -1, 0.1, 0.1]);
    const info = parseWav(buf)!;
    expect(info).toMatchObject({ channels: 1, sampleRate: 8000, bitsPerSample: 16 });
    expect(info.duration).toBeCloseTo(8 / 8000);
    const peaks = wavPeaks(buf, info, 4);
    expect(Array.from(peaks).map((x) => Math.round(x * 100) / 100)).toEqual([0.5, -0.25, 0, 0, 1, -1, 0.1, 0]);
  });

  it('rejects non-WAV data', () => {
    expect(parseWav(new ArrayBuffer(100))).toBeNull();
  });
});
