/** Renders only the visible rows of a very long list; tall lists are scaled to fit the browser. */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

// browsers cap element heights (~33M px in Chromium); longer lists scroll proportionally
const MAX_HEIGHT = 8_000_000;
const OVERSCAN = 8;

interface Props {
  count: number;
  rowHeight: number;
  height: number;
  renderRow: (index: number, top: number) => ReactNode;
  onRange: (first: number, last: number) => void;
}

export function VirtualRows({ count, rowHeight, height, renderRow, onRange }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const real = count * rowHeight;
  const virtual = Math.min(real, MAX_HEIGHT);
  const ratio = virtual > height ? (real - height) / (virtual - height) : 1;
  const offset = scrollTop * ratio;
  const first = Math.max(0, Math.floor(offset / rowHeight) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((offset + height) / rowHeight) + OVERSCAN);

  useLayoutEffect(() => {
    if (count > 0) onRange(first, last);
  }, [first, last, count, onRange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) rows.push(renderRow(i, scrollTop + (i * rowHeight - offset)));
  return (
    <div ref={box} className="vrows" style={{ height }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      role="rowgroup" data-count={count}>
      <div style={{ height: virtual, position: 'relative' }}>{rows}</div>
    </div>
  );
}
