/** Loads what to label: the next task of the queue, a given task, or one's own past annotation. */
import { api, type AnnotationOut, type PredictionOut } from '../../../api/endpoints';
import { fromServer } from '../../../api/resultCodec';
import type { Result } from '../../../editor/result';
import type { LabelSchema } from '../../../editor/schema';
import type { EditorState } from '../../../editor/store';
import { readBackup } from './localBackup';

export interface LoadedTask {
  id: number;
  data: Record<string, unknown>;
  /** What the server measured of the task's media (sizes, durations). */
  meta: Record<string, unknown>;
  results: Result[];
  origin: EditorState['origin'];
  prediction: PredictionOut | null;
  /** The annotation being edited (reopened), if any. */
  annotation: AnnotationOut | null;
  /** The version a draft is based on (for 409 detection). */
  baseVersion: number | null;
  leadTime: number;
  needsRelabel: boolean;
}

interface Raw {
  id: number;
  data: Record<string, unknown>;
  meta: Record<string, unknown>;
  draft: { result: Record<string, unknown>[]; lead_time: number; base_version: number | null; updated_at: string } | null;
  predictions: PredictionOut[];
  annotation: AnnotationOut | null;
  needsRelabel: boolean;
}

function initial(schema: LabelSchema, raw: Raw): LoadedTask {
  const base = { id: raw.id, data: raw.data, meta: raw.meta, annotation: raw.annotation, prediction: null, needsRelabel: raw.needsRelabel,
    baseVersion: raw.annotation?.version ?? raw.draft?.base_version ?? null, leadTime: raw.draft?.lead_time ?? 0 };
  const backup = readBackup(raw.id);
  const draftAt = raw.draft ? Date.parse(raw.draft.updated_at) : 0;
  // a local copy newer than the server's draft means the last save did not reach the server
  if (backup && backup.savedAt > draftAt + 1000 && backup.results.length > 0 && !raw.annotation) {
    return { ...base, results: backup.results, origin: 'draft' };
  }
  if (raw.draft) return { ...base, results: fromServer(schema, raw.data, raw.draft.result), origin: 'draft' };
  if (raw.annotation) return { ...base, results: fromServer(schema, raw.data, raw.annotation.result), origin: 'annotation' };
  const prediction = [...raw.predictions].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0] ?? null;
  if (prediction) return { ...base, prediction, results: fromServer(schema, raw.data, prediction.result), origin: 'prediction' };
  return { ...base, results: [], origin: 'empty' };
}

/** The next task of the queue; `exclude` (the task on screen) prefetches the one after it. */
export async function loadNext(schema: LabelSchema, projectId: number, exclude: number[] = []): Promise<LoadedTask | null> {
  const next = await api.next(projectId, exclude);
  if (!next) return null;
  return initial(schema, { id: next.id, data: next.data, meta: next.meta, draft: next.draft ?? null, predictions: next.predictions,
    annotation: null, needsRelabel: next.needs_relabel });
}

export async function loadTask(schema: LabelSchema, taskId: number, userId: number, annotationId: number | null): Promise<LoadedTask> {
  const [task, draft, annotations, predictions] = await Promise.all([
    api.task(taskId), api.draft(taskId).catch(() => undefined), api.taskAnnotations(taskId), api.predictions(taskId).catch(() => []),
  ]);
  const mine = annotations.find((a) => (annotationId ? a.id === annotationId : a.completed_by === userId && a.status === 'submitted')) ?? null;
  return initial(schema, { id: task.id, data: task.data, meta: task.meta, draft: draft ?? null, predictions, annotation: mine, needsRelabel: task.needs_relabel });
}
