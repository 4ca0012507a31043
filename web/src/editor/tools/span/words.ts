/** Word boundaries and character steps over a UTF-16 string: a step is one grapheme cluster, so
 * neither a surrogate pair nor a cluster like 👨🏻‍🚒 or e + U+0301 is ever split. */
import { nextGrapheme, previousGrapheme } from '../../../geometry/graphemes';

const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** The code point ending at `offset` (before it), as a string. */
function charBefore(text: string, offset: number): string {
  if (offset <= 0) return '';
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return text.slice(start, offset);
}

function charAt(text: string, offset: number): string {
  const cp = text.codePointAt(offset);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

export function isWordChar(ch: string): boolean {
  return ch !== '' && WORD.test(ch);
}

export function stepRight(text: string, offset: number): number {
  return nextGrapheme(text, offset);
}

export function stepLeft(text: string, offset: number): number {
  return previousGrapheme(text, offset);
}

/** Next word end to the right (like Ctrl+Right). */
export function wordRight(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && !isWordChar(charAt(text, i))) i = stepRight(text, i);
  while (i < text.length && isWordChar(charAt(text, i))) i = stepRight(text, i);
  return i;
}

/** Previous word start to the left (like Ctrl+Left). */
export function wordLeft(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && !isWordChar(charBefore(text, i))) i = stepLeft(text, i);
  while (i > 0 && isWordChar(charBefore(text, i))) i = stepLeft(text, i);
  return i;
}

/** Trims surrounding whitespace, then widens both ends to whole words. */
export function snapToWords(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(charAt(text, s))) s = stepRight(text, s);
  while (e > s && /\s/u.test(charBefore(text, e))) e = stepLeft(text, e);
  if (s === e) return [s, e];
  while (s > 0 && isWordChar(charBefore(text, s)) && isWordChar(charAt(text, s))) s = stepLeft(text, s);
  while (e < text.length && isWordChar(charAt(text, e)) && isWordChar(charBefore(text, e))) e = stepRight(text, e);
  return [s, e];
}
