/** Results at the API edge: span offsets are code points on the server, UTF-16 in the editor. */
import { OffsetIndex } from '../geometry/offsets';
import type { Result } from '../editor/result';
import { dataKey, type LabelSchema } from '../editor/schema';

type Indexes = Map<string, OffsetIndex>;

function indexes(schema: LabelSchema, data: Record<string, unknown>): Indexes {
  const map: Indexes = new Map();
  for (const o of schema.objects) {
    const text = data[dataKey(o)];
    if (o.type === 'text' && typeof text === 'string') map.set(o.name, new OffsetIndex(text));
  }
  return map;
}

function convertSpan(r: Result, idx: OffsetIndex | undefined, to: 'utf16' | 'codePoints'): Result {
  if (r.type !== 'span' || !idx) return r;
  const { start, end } = r.value;
  if (typeof start !== 'number' || typeof end !== 'number') return r;
  const conv = (n: number) => (to === 'utf16' ? idx.toUtf16(n) : idx.toCodePoints(n));
  const s = conv(start);
  const e = conv(end);
  const text = to === 'utf16' ? idx.text.slice(s, e) : idx.text.slice(start, end);
  return { ...r, value: { ...r.value, start: s, end: e, text } };
}

/** Server results (code points) -> editor results (UTF-16). */
export function fromServer(schema: LabelSchema, data: Record<string, unknown>, raw: readonly Record<string, unknown>[]): Result[] {
  const idx = indexes(schema, data);
  return raw.map((item) => {
    const r = item as unknown as Result;
    return convertSpan({ ...r, value: { ...(r.value ?? {}) } }, idx.get(r.object), 'utf16');
  });
}

/** Editor results (UTF-16) -> server results (code points). */
export function toServer(schema: LabelSchema, data: Record<string, unknown>, results: readonly Result[]): Record<string, unknown>[] {
  const idx = indexes(schema, data);
  return results.map((r) => {
    const out = convertSpan(r, idx.get(r.object), 'codePoints');
    const clean: Record<string, unknown> = { id: out.id, control: out.control, object: out.object, type: out.type, value: out.value };
    if (out.parent_id) clean.parent_id = out.parent_id;
    if (out.score !== undefined && out.score !== null) clean.score = out.score;
    return clean;
  });
}
