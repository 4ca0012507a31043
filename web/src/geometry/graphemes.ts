/** Grapheme clusters (what a reader sees as one character: 👨🏻‍🚒, e + U+0301, 🇫🇷) over a
 * UTF-16 string, found with Intl.Segmenter, so selections never cut one in pieces. */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How far to look for a certain boundary around an offset before settling for a paragraph's. */
const SCAN = 256;

/** Characters with no grapheme rule of their own (ASCII printables, kana, CJK ideographs):
 * between two of them there is always a boundary, whatever comes before. */
function isPlain(code: number): boolean {
  return (code >= 0x20 && code <= 0x7e) || (code >= 0x3041 && code <= 0x3096)
    || (code >= 0x30a1 && code <= 0x30fa) || (code >= 0x4e00 && code <= 0x9fff);
}

/** A boundary whatever the rest of the text: the ends, after a line feed, between plain characters. */
function isCertainBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true;
  const before = text.charCodeAt(i - 1);
  return before === 0x0a || (isPlain(before) && isPlain(text.charCodeAt(i)));
}

/** A stretch [from, to) around `offset` that starts and ends on certain boundaries. Segmenting
 * only it keeps a step fast: V8's Segmenter copies the whole string on every call. */
function windowAround(text: string, offset: number): [number, number] {
  let from = offset;
  while (from > offset - SCAN && !isCertainBoundary(text, from)) from--;
  if (!isCertainBoundary(text, from)) from = text.lastIndexOf('\n', from - 1) + 1;
  let to = offset + 1;
  while (to < offset + SCAN && !isCertainBoundary(text, to)) to++;
  if (!isCertainBoundary(text, to)) {
    const newline = text.indexOf('\n', to);
    to = newline < 0 ? text.length : newline + 1;
  }
  return [from, to];
}

/** [start, end) of the cluster containing the UTF-16 offset (`offset` < text.length). */
function clusterAt(text: string, offset: number): [number, number] {
  const [from, to] = windowAround(text, offset);
  const found = segmenter.segment(text.slice(from, to)).containing(offset - from);
  if (!found) return [offset, offset + 1];
  return [from + found.index, from + found.index + found.segment.length];
}

/** The offset after the cluster starting at or containing `offset`. */
export function nextGrapheme(text: string, offset: number): number {
  if (offset >= text.length) return text.length;
  return clusterAt(text, Math.max(0, offset))[1];
}

/** The start of the cluster ending at or containing `offset - 1`. */
export function previousGrapheme(text: string, offset: number): number {
  if (offset <= 0) return 0;
  return clusterAt(text, Math.min(offset, text.length) - 1)[0];
}

/** True at 0, at the end, and between two clusters. */
export function isGraphemeBoundary(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return true;
  return clusterAt(text, offset)[0] === offset;
}

/** The start of the cluster an offset falls in (a caret or a click lands before it). */
export function graphemeFloor(text: string, offset: number): number {
  if (offset <= 0) return 0;
  if (offset >= text.length) return text.length;
  return clusterAt(text, offset)[0];
}

/** Widens [start, end) to whole clusters: a selection that touches a cluster takes all of it. */
export function snapToGraphemes(text: string, start: number, end: number): [number, number] {
  const s = graphemeFloor(text, start);
  const e = end <= s ? s : nextGrapheme(text, previousGrapheme(text, end));
  return [s, Math.max(s, e)];
}
