/** The label schema as the editor uses it: labels normalized to objects, lookups by name. */

export type ObjectType = 'image' | 'text' | 'audio' | 'video';
export type ControlType = 'choices' | 'rating' | 'number' | 'textarea' | 'taxonomy' | 'box'
  | 'polygon' | 'polyline' | 'keypoints' | 'mask' | 'span' | 'relation' | 'segment' | 'track';

export interface LabelSpec {
  value: string;
  hotkey?: string;
  color?: string;
  guideline?: string;
}

export interface TaxonomyNode {
  value: string;
  children?: TaxonomyNode[];
}

export interface ObjectSpec {
  name: string;
  type: ObjectType;
  value?: string;
}

export interface ControlSpec {
  name: string;
  type: ControlType;
  to: string[];
  labels: LabelSpec[];
  multiple?: boolean;
  required?: boolean;
  max?: number;
  min?: number;
  step?: number;
  max_length?: number;
  per_region?: boolean;
  taxonomy?: TaxonomyNode[];
  directions?: ('right' | 'left' | 'bi')[];
}

export interface LabelSchema {
  title?: string;
  guidelines?: string;
  objects: ObjectSpec[];
  controls: ControlSpec[];
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6',
  '#bcf60c', '#008080', '#9a6324', '#800000', '#808000', '#000075'];

function normalizeLabel(raw: unknown, index: number): LabelSpec {
  const spec: LabelSpec = typeof raw === 'string' ? { value: raw } : { ...(raw as LabelSpec) };
  spec.color ??= PALETTE[index % PALETTE.length];
  return spec;
}

/** Accepts the server's schema document (labels as strings or objects). */
export function normalizeSchema(doc: Record<string, unknown>): LabelSchema {
  const objects = (doc.objects as ObjectSpec[] | undefined) ?? [];
  const controls = ((doc.controls as Record<string, unknown>[] | undefined) ?? []).map((c) => ({
    ...(c as unknown as ControlSpec),
    to: (c.to as string[] | undefined) ?? [],
    labels: ((c.labels as unknown[] | undefined) ?? []).map(normalizeLabel),
  }));
  return {
    title: doc.title as string | undefined,
    guidelines: doc.guidelines as string | undefined,
    objects,
    controls,
  };
}

/** The key in task.data holding an object's data. */
export function dataKey(object: ObjectSpec): string {
  return object.value ?? object.name;
}

export function labelColor(control: ControlSpec | undefined, label: string | undefined): string {
  return control?.labels.find((l) => l.value === label)?.color ?? '#888888';
}

export const REGION_TYPES: ReadonlySet<ControlType> = new Set(['span', 'segment', 'relation']);
export const CLASSIFICATION_TYPES: ReadonlySet<ControlType> = new Set(
  ['choices', 'rating', 'number', 'textarea', 'taxonomy']);

/** Per-region textareas attach to regions; the others label the whole task. */
export function isTaskLevel(control: ControlSpec): boolean {
  return CLASSIFICATION_TYPES.has(control.type) && !(control.type === 'textarea' && control.per_region);
}
