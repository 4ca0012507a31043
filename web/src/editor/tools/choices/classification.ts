/** Task-level controls (choices, rating, number, free text, taxonomy): pure result updates. */
import { newId, type Result } from '../../result';
import type { ControlSpec } from '../../schema';

/** The task-level result of a control (one per control and object), if any. */
export function findTaskResult(results: readonly Result[], control: ControlSpec): Result | undefined {
  return results.find((r) => r.control === control.name && !r.parent_id);
}

function put(results: readonly Result[], control: ControlSpec, value: Record<string, unknown> | null): Result[] {
  const existing = findTaskResult(results, control);
  if (value === null) return results.filter((r) => r !== existing);
  if (existing) return results.map((r) => (r === existing ? { ...r, value } : r));
  const object = control.to[0] ?? '';
  return [...results, { id: newId(), control: control.name, object, type: control.type, value }];
}

export function selectedChoices(results: readonly Result[], control: ControlSpec): string[] {
  const value = findTaskResult(results, control)?.value.choices;
  return Array.isArray(value) ? (value as string[]) : [];
}

/** Single-label: picks the label (again: clears). Multi-label: toggles it. */
export function toggleChoice(results: readonly Result[], control: ControlSpec, label: string): Result[] {
  const current = selectedChoices(results, control);
  let next: string[];
  if (control.multiple) {
    next = current.includes(label) ? current.filter((c) => c !== label) : [...current, label];
    // keep the schema's order so results are stable whatever the clicking order
    const order = control.labels.map((l) => l.value);
    next.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  } else {
    next = current.length === 1 && current[0] === label ? [] : [label];
  }
  return put(results, control, next.length ? { choices: next } : null);
}

export function setRating(results: readonly Result[], control: ControlSpec, rating: number | null): Result[] {
  const max = control.max ?? 5;
  if (rating !== null && (rating < 1 || rating > max)) return [...results];
  return put(results, control, rating === null ? null : { rating: Math.round(rating) });
}

export function setNumber(results: readonly Result[], control: ControlSpec, value: number | null): Result[] {
  if (value === null || Number.isNaN(value)) return put(results, control, null);
  let clamped = value;
  if (control.min !== undefined) clamped = Math.max(control.min, clamped);
  if (control.max !== undefined) clamped = Math.min(control.max, clamped);
  return put(results, control, { number: clamped });
}

export function setText(results: readonly Result[], control: ControlSpec, text: string): Result[] {
  const limited = control.max_length ? text.slice(0, control.max_length) : text;
  return put(results, control, limited === '' ? null : { text: [limited] });
}

export function taxonomyPaths(results: readonly Result[], control: ControlSpec): string[][] {
  const value = findTaskResult(results, control)?.value.taxonomy;
  return Array.isArray(value) ? (value as string[][]) : [];
}

const samePath = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Toggles one root-to-node path; single-select replaces the previous path. */
export function toggleTaxonomy(results: readonly Result[], control: ControlSpec, path: string[]): Result[] {
  const current = taxonomyPaths(results, control);
  const has = current.some((p) => samePath(p, path));
  let next: string[][];
  if (has) next = current.filter((p) => !samePath(p, path));
  else next = control.multiple ? [...current, path] : [path];
  return put(results, control, next.length ? { taxonomy: next } : null);
}
