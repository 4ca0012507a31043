/** Results (one labelled thing each) and the pure operations on a list of them. */
import type { ControlType } from './schema';

export interface Result {
  id: string;
  control: string;
  object: string;
  type: ControlType;
  value: Record<string, unknown>;
  score?: number | null;
  parent_id?: string | null;
}

let counter = 0;

/** A short id, unique within an annotation. */
export function newId(): string {
  counter = (counter + 1) % 1_000_000;
  return `${Date.now().toString(36)}${counter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function labelsOf(result: Result): string[] {
  const labels = result.value.labels;
  return Array.isArray(labels) ? (labels as string[]) : [];
}

export function withValue(result: Result, patch: Record<string, unknown>): Result {
  return { ...result, value: { ...result.value, ...patch } };
}

export function replaceResult(results: readonly Result[], next: Result): Result[] {
  return results.map((r) => (r.id === next.id ? next : r));
}

/** Removes a region with its per-region results and the relations touching it. */
export function removeRegion(results: readonly Result[], id: string): Result[] {
  return results.filter((r) => r.id !== id && r.parent_id !== id
    && !(r.type === 'relation' && (r.value.from_id === id || r.value.to_id === id)));
}

export const REGION_KINDS: ReadonlySet<string> = new Set(['span', 'segment', 'relation']);

export function isRegion(result: Result): boolean {
  return REGION_KINDS.has(result.type);
}

function startOf(r: Result): number {
  return typeof r.value.start === 'number' ? r.value.start : Number.MAX_SAFE_INTEGER;
}

/** Regions in reading/time order (relations last), for next/previous region. */
export function regionsInOrder(results: readonly Result[]): Result[] {
  return results.filter(isRegion).sort((a, b) => startOf(a) - startOf(b));
}

/** The per-region child of `parentId` for a control (e.g. a segment's transcript). */
export function childOf(results: readonly Result[], parentId: string, control: string): Result | undefined {
  return results.find((r) => r.parent_id === parentId && r.control === control);
}

/** Sets (or clears, with '') the per-region text of a region, e.g. a segment's transcript. */
export function setChildText(results: readonly Result[], parentId: string, control: string, text: string): readonly Result[] {
  const existing = childOf(results, parentId, control);
  if (text === '') return existing ? results.filter((r) => r !== existing) : results;
  if (existing) return results.map((r) => (r === existing ? withValue(r, { text: [text] }) : r));
  const parent = results.find((r) => r.id === parentId);
  return [...results, { id: newId(), control, object: parent?.object ?? '', type: 'textarea', value: { text: [text] }, parent_id: parentId }];
}
