/** Text offsets: UTF-16 code units (the browser's) <-> Unicode code points (the server's). */

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when a UTF-16 offset splits a surrogate pair (a position no code point offset maps to). */
export function splitsSurrogatePair(text: string, utf16: number): boolean {
  return utf16 > 0 && utf16 < text.length
    && isHighSurrogate(text.charCodeAt(utf16 - 1)) && isLowSurrogate(text.charCodeAt(utf16));
}

/**
 * Converts offsets of one text in both directions. Building it is O(n) once; each conversion is
 * O(log k) in the number k of astral characters, so thousands of spans convert fast.
 */
export class OffsetIndex {
  /** UTF-16 positions of the high surrogate of every astral character, ascending. */
  private readonly astral: number[] = [];
  readonly utf16Length: number;
  readonly codePointLength: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length - 1; i++) {
      if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
        this.astral.push(i);
        i++;
      }
    }
    this.utf16Length = text.length;
    this.codePointLength = text.length - this.astral.length;
  }

  /** Code point offset of a UTF-16 offset; an offset inside a pair rounds down to its start. */
  toCodePoints(utf16: number): number {
    const clamped = Math.max(0, Math.min(utf16, this.utf16Length));
    // astral characters starting strictly before `clamped - 1` contribute one extra unit each
    const before = this.countBelow(clamped - 1);
    const inside = splitsSurrogatePair(this.text, clamped) ? 1 : 0;
    return clamped - before - inside;
  }

  /** UTF-16 offset of a code point offset. */
  toUtf16(codePoints: number): number {
    const clamped = Math.max(0, Math.min(codePoints, this.codePointLength));
    // find how many astral chars start before the target: astral[j] - j is its code point offset
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.astral[mid] ?? 0) - mid < clamped) lo = mid + 1;
      else hi = mid;
    }
    return clamped + lo;
  }

  /** Number of astral characters whose high surrogate is at a position < limit. */
  private countBelow(limit: number): number {
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.astral[mid] ?? 0) < limit) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Converts an offset in `text` between units; build an OffsetIndex to convert many. */
export function convertOffset(text: string, offset: number, to: 'codePoints' | 'utf16'): number {
  const index = new OffsetIndex(text);
  return to === 'codePoints' ? index.toCodePoints(offset) : index.toUtf16(offset);
}
