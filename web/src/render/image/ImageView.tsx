/** An image object: fit to the box, zoom with the wheel or buttons, pan by dragging. */
import { useRef, useState, type PointerEvent, type WheelEvent } from 'react';

interface View {
  scale: number;
  x: number;
  y: number;
}

export function ImageView({ url, objectName }: { url: string; objectName: string }) {
  const [view, setView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const zoomAt = (factor: number, cx: number, cy: number) => setView((v) => {
    const scale = Math.max(0.1, Math.min(40, v.scale * factor));
    const k = scale / v.scale;
    return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
  });
  const onWheel = (e: WheelEvent) => {
    const r = box.current?.getBoundingClientRect();
    if (!r) return;
    zoomAt(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  };
  const onDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX - view.x, y: e.clientY - view.y };
    (e.target as Element).setPointerCapture?.(e.pointerId);
  };
  const onMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) setView((v) => ({ ...v, x: e.clientX - d.x, y: e.clientY - d.y }));
  };
  const center = () => {
    const r = box.current?.getBoundingClientRect();
    return r ? [r.width / 2, r.height / 2] as const : [0, 0] as const;
  };

  return (
    <div className="imageview" data-object={objectName}>
      <div className="toolbar">
        <button type="button" onClick={() => zoomAt(1.25, ...center())}>+</button>
        <button type="button" onClick={() => zoomAt(0.8, ...center())}>−</button>
        <button type="button" onClick={() => setView({ scale: 1, x: 0, y: 0 })}>Fit</button>
        <span className="muted">{Math.round(view.scale * 100)}%</span>
      </div>
      <div ref={box} className="image-box" onWheel={onWheel} onPointerDown={onDown} onPointerMove={onMove}
        onPointerUp={() => { drag.current = null; }}>
        <img src={url} alt="" draggable={false}
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }} />
      </div>
    </div>
  );
}
