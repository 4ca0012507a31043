/** Cuts a text at every span boundary: each piece lists the spans covering it (a sweep, O(n log n)). */

export interface Mark {
  id: string;
  start: number;
  end: number;
}

export interface Segment {
  start: number;
  end: number;
  /** Ids of the marks covering the whole segment, outermost (earliest start, longest) first. */
  marks: string[];
  /** Ids of marks ending exactly at this segment's end (their label tag goes after it). */
  endsHere: string[];
}

export function buildSegments(length: number, marks: readonly Mark[], extraCuts: readonly number[] = []): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(length, m.start)));
    cuts.add(Math.max(0, Math.min(length, m.end)));
  }
  for (const c of extraCuts) if (c >= 0 && c <= length) cuts.add(c);
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...marks].filter((m) => m.end > m.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  let active: Mark[] = [];
  let next = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i] ?? 0;
    const b = points[i + 1] ?? 0;
    if (active.some((m) => m.end <= a)) active = active.filter((m) => m.end > a);
    while (next < byStart.length && (byStart[next]?.start ?? Infinity) <= a) {
      const m = byStart[next++];
      if (m && m.end > a) active.push(m);
    }
    segments.push({ start: a, end: b, marks: active.map((m) => m.id),
      endsHere: active.filter((m) => m.end === b).map((m) => m.id) });
  }
  return segments;
}
