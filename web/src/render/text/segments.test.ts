import { describe, expect, it } from 'vitest';
import { buildSegments } from './segments';

describe('buildSegments', () => {
  it('cuts at boundaries of overlapping spans', () => {
    const segs = buildSegments(10, [{ id: 'a', start: 2, end: 6 }, { id: 'b', start: 4, end: 8 }]);
    expect(segs.map((s) => [s.start, s.end, s.marks.join('')])).toEqual(
      [[0, 2, ''], [2, 4, 'a'], [4, 6, 'ab'], [6, 8, 'b'], [8, 10, '']]);
    expect(segs[2]?.endsHere).toEqual(['a']);
  });

  it('shows a span that cuts a grapheme cluster as it is (👨🏻 of 👨🏻‍🚒, UTF-16 0..4 of 7)', () => {
    const segs = buildSegments(7, [{ id: 'a', start: 0, end: 4 }], [7]);
    expect(segs.map((s) => [s.start, s.end, s.marks.join('')])).toEqual([[0, 4, 'a'], [4, 7, '']]);
    expect(segs[0]?.endsHere).toEqual(['a']);
  });

  it('is fast for 100k characters and 2,000 spans', () => {
    const marks = Array.from({ length: 2000 }, (_, i) => ({ id: String(i), start: i * 50, end: i * 50 + 20 + (i % 3) * 40 }));
    const t0 = performance.now();
    const segs = buildSegments(100_000, marks, [777]);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(segs.length).toBeGreaterThan(3000);
  });
});
