import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemeFloor, isGraphemeBoundary, nextGrapheme, previousGrapheme, snapToGraphemes } from './graphemes';

// 👨🏻‍🚒 is U+1F468 U+1F3FB U+200D U+1F692: 4 code points, 7 UTF-16 units, one cluster
const FIREMAN = '\u{1F468}\u{1F3FB}\u200D\u{1F692}';
const FLAGS = '\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}'; // 🇫🇷🇩🇪: 2 clusters of 4 units each

describe('grapheme clusters', () => {
  it('the fireman is one step of 7 units both ways', () => {
    const text = `${FIREMAN} firemen`;
    expect(FIREMAN.length).toBe(7);
    expect(nextGrapheme(text, 0)).toBe(7);
    expect(nextGrapheme(text, 7)).toBe(8);
    expect(previousGrapheme(text, 7)).toBe(0);
    expect(previousGrapheme(text, 8)).toBe(7);
    for (const inside of [1, 2, 3, 4, 5, 6]) expect(isGraphemeBoundary(text, inside)).toBe(false);
    expect(isGraphemeBoundary(text, 7)).toBe(true);
  });

  it('e + combining acute is one step of 2 units; é (precomposed) is one of 1', () => {
    const text = 'cafe\u0301 caf\u00e9';
    expect(nextGrapheme(text, 3)).toBe(5);
    expect(previousGrapheme(text, 5)).toBe(3);
    expect(graphemeFloor(text, 4)).toBe(3);
    expect(nextGrapheme(text, 9)).toBe(10);
  });

  it('two flags are two clusters of 4 units (regional indicator pairs)', () => {
    expect(nextGrapheme(FLAGS, 0)).toBe(4);
    expect(nextGrapheme(FLAGS, 4)).toBe(8);
    expect(previousGrapheme(FLAGS, 8)).toBe(4);
    expect(snapToGraphemes(FLAGS, 2, 6)).toEqual([0, 8]);
    expect(snapToGraphemes(FLAGS, 4, 8)).toEqual([4, 8]);
  });

  it('a selection cutting a cluster widens to all of it; one on boundaries is unchanged', () => {
    const text = `a${FIREMAN}b`;
    expect(snapToGraphemes(text, 3, 6)).toEqual([1, 8]);
    expect(snapToGraphemes(text, 0, 3)).toEqual([0, 8]);
    expect(snapToGraphemes(text, 5, 9)).toEqual([1, 9]);
    expect(snapToGraphemes(text, 1, 8)).toEqual([1, 8]);
    expect(snapToGraphemes(text, 8, 8)).toEqual([8, 8]);
  });

  it('the ends of the text are boundaries; out-of-range offsets clamp', () => {
    expect(nextGrapheme('', 0)).toBe(0);
    expect(previousGrapheme('ab', 0)).toBe(0);
    expect(nextGrapheme('ab', 5)).toBe(2);
    expect(previousGrapheme('ab', 9)).toBe(1);
    expect(isGraphemeBoundary('ab', 2)).toBe(true);
  });

  it('walking a text step by step finds the boundaries a whole-text segmentation finds', () => {
    const pieces = ['a', ' ', '\n', '\r', '\u{1F468}', '\u{1F3FB}', '\u200D', '\u{1F692}', 'e', '\u0301',
      '\u{1F1EB}', '\u{1F1F7}', '\u6F22', '\u304B', '\u3099', '\u0915', '\u094D', '\u0937', '\uAC00', '\u11A8'];
    const whole = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 600 }), (parts) => {
      const text = parts.join('');
      const clusters = [...whole.segment(text)];
      const expected = clusters.map((g) => g.index + g.segment.length);
      const walked: number[] = [];
      for (let at = 0; at < text.length;) walked.push((at = nextGrapheme(text, at)));
      expect(walked).toEqual(expected);
      const back: number[] = [];
      for (let at = text.length; at > 0;) back.push((at = previousGrapheme(text, at)));
      expect(back.reverse()).toEqual(clusters.map((g) => g.index));
    }), { numRuns: 200 });
  });

  it('a step in a long text looks only near the caret (V8 copies the whole text per call)', () => {
    const text = `hello ${FIREMAN} world cafe\u0301 `.repeat(50_000); // 1.3 million units
    const t0 = performance.now();
    let at = text.length / 2;
    for (let i = 0; i < 2000; i++) at = nextGrapheme(text, at);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

