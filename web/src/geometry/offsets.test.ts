import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetIndex, convertOffset, splitsSurrogatePair } from './offsets';

/** The code point substring, as the server computes text[start:end]. */
function cpSlice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

describe('offsets: formats.md vectors', () => {
  it('💩This is an annotation.', () => {
    const text = '💩This is an annotation.';
    const u16 = text.indexOf('annotation');
    expect([u16, u16 + 10]).toEqual([13, 23]);
    const idx = new OffsetIndex(text);
    expect([idx.toCodePoints(13), idx.toCodePoints(23)]).toEqual([12, 22]);
    expect([idx.toUtf16(12), idx.toUtf16(22)]).toEqual([13, 23]);
    expect(cpSlice(text, 12, 22)).toBe('annotation');
  });

  it('label1 😄 label2', () => {
    const text = 'label1 😄 label2';
    expect(convertOffset(text, 7, 'codePoints')).toBe(7);
    expect(convertOffset(text, 9, 'codePoints')).toBe(8);
    expect(convertOffset(text, 8, 'utf16')).toBe(9);
    expect(cpSlice(text, 7, 8)).toBe('😄');
    expect(convertOffset(text, text.indexOf('label2'), 'codePoints')).toBe(9);
  });

  it('👨🏻‍🚒 firemen: one grapheme of 4 code points, 7 UTF-16 units', () => {
    const text = '👨🏻‍🚒 firemen drive firetrucks at work';
    const idx = new OffsetIndex(text);
    const u16 = text.indexOf('firemen');
    expect(u16).toBe(8);
    expect(idx.toCodePoints(u16)).toBe(5);
    expect(cpSlice(text, 5, 12)).toBe('firemen');
    expect(idx.toUtf16(4)).toBe(7);
  });

  it('e\\u0301 and é are not normalized', () => {
    const decomposed = 'cafe\u0301 bar';
    const composed = 'caf\u00e9 bar';
    expect(convertOffset(decomposed, decomposed.indexOf('bar'), 'codePoints')).toBe(6);
    expect(convertOffset(composed, composed.indexOf('bar'), 'codePoints')).toBe(5);
  });

  it('a\\r\\nb keeps both newline characters', () => {
    const text = 'a\r\nb';
    expect(convertOffset(text, 3, 'codePoints')).toBe(3);
    expect(convertOffset(text, 3, 'utf16')).toBe(3);
    expect(cpSlice(text, 3, 4)).toBe('b');
  });

  it('Arabic right-to-left text with an emoji', () => {
    const text = 'مرحبا 🌍 بالعالم';
    const idx = new OffsetIndex(text);
    const u16 = text.indexOf('بالعالم');
    expect(idx.toCodePoints(u16)).toBe(8);
    expect(cpSlice(text, 8, 15)).toBe('بالعالم');
    expect(idx.toUtf16(8)).toBe(u16);
  });

  it('text ending in an astral character: end == len', () => {
    const text = 'ends with 🎉';
    const idx = new OffsetIndex(text);
    expect(idx.toCodePoints(text.length)).toBe(11);
    expect(idx.codePointLength).toBe(Array.from(text).length);
    expect(idx.toUtf16(11)).toBe(text.length);
    expect(cpSlice(text, 10, 11)).toBe('🎉');
  });

  it('an offset inside a surrogate pair rounds down', () => {
    const text = 'a😄b';
    expect(splitsSurrogatePair(text, 2)).toBe(true);
    expect(convertOffset(text, 2, 'codePoints')).toBe(1);
  });
});

describe('offsets: properties', () => {
  const anyText = fc.string({ unit: 'grapheme', maxLength: 60 });

  it('code points -> UTF-16 -> code points is the identity', () => {
    fc.assert(fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
      const idx = new OffsetIndex(text);
      const n = idx.codePointLength;
      const start = n === 0 ? 0 : a % (n + 1);
      const end = n === 0 ? 0 : start + (b % (n - start + 1));
      const s16 = idx.toUtf16(start);
      const e16 = idx.toUtf16(end);
      expect(idx.toCodePoints(s16)).toBe(start);
      expect(idx.toCodePoints(e16)).toBe(end);
      expect(text.slice(s16, e16)).toBe(cpSlice(text, start, end));
    }));
  });

  it('UTF-16 offsets on code point boundaries round-trip', () => {
    fc.assert(fc.property(anyText, fc.nat(), (text, a) => {
      const idx = new OffsetIndex(text);
      const u = text.length === 0 ? 0 : a % (text.length + 1);
      if (splitsSurrogatePair(text, u)) return;
      expect(idx.toUtf16(idx.toCodePoints(u))).toBe(u);
    }));
  });
});
