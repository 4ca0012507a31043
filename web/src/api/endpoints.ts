/** Typed calls to the Postil API (types generated from openapi.json). */
import { request } from './http';
import type {
  AnnotationOut, DraftOut, FormatOut, ImportReport, LoginOut, MeOut, MemberOut, NextTaskOut, PredictionOut, ProjectCreate,
  ProjectOut, QueueState, SchemaChangeOut, TaskCount, TaskOut, TaskPage, TaskRow, TasksDeleted, TemplateOut, UserOut,
} from './schema.gen';

export type {
  AnnotationOut, DraftOut, ImportReport, MeOut, MemberOut, NextTaskOut, PredictionOut, ProjectOut, QueueState, SchemaChangeOut,
  TaskCount, TaskOut, TaskPage, TaskRow, UserOut,
};

export type ResultIn = Record<string, unknown>;

export type TemplateInfo = TemplateOut;

export interface TaskQuery {
  limit?: number;
  cursor?: string | null;
  sort?: string;
  order?: 'asc' | 'desc';
  status?: string | null;
  q?: string | null;
}

function qs(params: Record<string, string | number | null | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

export const api = {
  login: (username: string, password: string) => request<LoginOut>('POST', '/api/auth/login', { username, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<MeOut>('GET', '/api/auth/me'),

  projects: () => request<ProjectOut[]>('GET', '/api/projects'),
  project: (id: number) => request<ProjectOut>('GET', `/api/projects/${id}`),
  createProject: (body: ProjectCreate) => request<ProjectOut>('POST', '/api/projects', body),
  templates: () => request<TemplateInfo[]>('GET', '/api/templates'),
  formats: () => request<FormatOut[]>('GET', '/api/formats'),
  template: (name: string) => request<Record<string, unknown>>('GET', `/api/templates/${encodeURIComponent(name)}`),
  checkSchema: (schema: unknown) => request<Record<string, unknown>>('POST', '/api/schemas/check', { schema }),
  changeSchema: (id: number, schema: unknown, changes: Record<string, unknown>[]) =>
    request<SchemaChangeOut>('PUT', `/api/projects/${id}/schema`, { schema, changes }),
  members: (id: number) => request<MemberOut[]>('GET', `/api/projects/${id}/members`),

  tasks: (id: number, query: TaskQuery, signal?: AbortSignal) =>
    request<TaskPage>('GET', `/api/projects/${id}/tasks${qs({ ...query })}`, undefined, signal ? { signal } : {}),
  taskCount: (id: number, query: Pick<TaskQuery, 'status' | 'q'>, signal?: AbortSignal) =>
    request<TaskCount>('GET', `/api/projects/${id}/tasks/count${qs({ status: query.status, q: query.q })}`, undefined,
      signal ? { signal } : {}),
  queue: (id: number) => request<QueueState>('GET', `/api/projects/${id}/queue`),
  deleteTasks: (id: number, ids: number[]) => request<TasksDeleted>('POST', `/api/projects/${id}/tasks/delete`, { ids }),
  task: (taskId: number) => request<TaskOut>('GET', `/api/tasks/${taskId}`),
  next: (id: number, exclude: number[] = []) =>
    request<NextTaskOut | undefined>('GET', `/api/projects/${id}/next${exclude.map((t, i) => `${i ? '&' : '?'}exclude=${t}`).join('')}`),

  taskAnnotations: (taskId: number) => request<AnnotationOut[]>('GET', `/api/tasks/${taskId}/annotations`),
  myAnnotations: (id: number) => request<AnnotationOut[]>('GET', `/api/projects/${id}/my-annotations`),
  predictions: (taskId: number) => request<PredictionOut[]>('GET', `/api/tasks/${taskId}/predictions`),
  submit: (taskId: number, result: ResultIn[], leadTime: number, predictionId: number | null) =>
    request<AnnotationOut>('POST', `/api/tasks/${taskId}/annotations`,
      { result, lead_time: leadTime, prediction_id: predictionId }),
  update: (annotationId: number, result: ResultIn[], version: number, leadTime: number) =>
    request<AnnotationOut>('PATCH', `/api/annotations/${annotationId}`, { result, version, lead_time: leadTime }),
  skip: (taskId: number) => request<AnnotationOut>('POST', `/api/tasks/${taskId}/skip`),
  draft: (taskId: number) => request<DraftOut | undefined>('GET', `/api/tasks/${taskId}/draft`),
  saveDraft: (taskId: number, result: ResultIn[], leadTime: number, baseVersion: number | null, keepalive = false) =>
    request<DraftOut>('PUT', `/api/tasks/${taskId}/draft`, { result, lead_time: leadTime, base_version: baseVersion },
      { keepalive }),
};
