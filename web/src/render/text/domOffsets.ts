/** Maps DOM selection points inside a rendered text to UTF-16 offsets (via data-s / data-pos). */

export function offsetAt(root: HTMLElement, node: Node, offset: number, length: number): number | null {
  if (!root.contains(node)) return null;
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element);
  if (!el) return null;
  if (el === root) {
    const child = root.childNodes[offset] as Element | undefined;
    const s = child?.getAttribute?.('data-s') ?? child?.getAttribute?.('data-pos');
    return s !== undefined && s !== null ? Number(s) : length;
  }
  const tag = el.closest('[data-pos]');
  if (tag && root.contains(tag)) return Number(tag.getAttribute('data-pos'));
  const seg = el.closest('[data-s]');
  if (!seg || !root.contains(seg)) return null;
  const start = Number(seg.getAttribute('data-s'));
  return node.nodeType === Node.TEXT_NODE ? start + offset : start;
}

/** The browser selection inside root as [start, end), or null when empty or outside. */
export function selectionRange(root: HTMLElement, length: number): [number, number] | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return null;
  const a = offsetAt(root, sel.anchorNode, sel.anchorOffset, length);
  const b = offsetAt(root, sel.focusNode, sel.focusOffset, length);
  if (a === null || b === null || a === b) return null;
  return [Math.min(a, b), Math.max(a, b)];
}
