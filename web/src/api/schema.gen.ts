/** Generated from openapi.json by scripts/gen-api.mjs: do not edit. */

export interface AnnotationCreate {
  "lead_time"?: number | null;
  "prediction_id"?: number | null;
  "result": Record<string, unknown>[];
}

export interface AnnotationOut {
  "completed_by": number;
  "completed_by_username": string;
  "created_at": string;
  "id": number;
  "lead_time": number;
  "prediction_id": number | null;
  "project_id": number;
  "result": Record<string, unknown>[];
  "schema_version": number;
  "status": string;
  "task_id": number;
  "updated_at": string;
  "version": number;
}

export interface AnnotationUpdate {
  "lead_time"?: number | null;
  "result": Record<string, unknown>[];
  "version": number;
}

export interface AuditOut {
  "action": string;
  "at": string;
  "detail": Record<string, unknown>;
  "id": number;
  "object_id": string | null;
  "object_type": string | null;
  "project_id": number | null;
  "user_id": number | null;
}

export interface DraftIn {
  "base_version"?: number | null;
  "lead_time"?: number | null;
  "result": Record<string, unknown>[];
}

export interface DraftOut {
  "base_version": number | null;
  "lead_time": number;
  "result": Record<string, unknown>[];
  "schema_version": number;
  "task_id": number;
  "updated_at": string;
}

export interface ErrorItem {
  "loc": (string | number)[];
  "msg": string;
}

export interface ErrorOut {
  "current"?: Record<string, unknown> | null;
  "detail": string;
  "errors"?: ErrorItem[];
}

export interface FormatOut {
  "extension": string;
  "media_type": string;
  "name": string;
  "title": string;
}

export interface HistoryOut {
  "changed_by": number | null;
  "created_at": string;
  "lead_time": number;
  "result": Record<string, unknown>[];
  "schema_version": number;
  "status": string;
  "version": number;
}

export interface ImportFailure {
  "errors"?: ErrorItem[];
  "message": string;
}

export interface ImportOut {
  "created_at": string;
  "created_by"?: number | null;
  "duplicate_count": number;
  "error"?: ImportFailure | null;
  "finished_at"?: string | null;
  "id": number;
  "project_id": number;
  "source": string;
  "status": "running" | "completed" | "failed";
  "task_count": number;
}

export interface ImportReport {
  "duplicates": number;
  "import_id": number;
  "imported": number;
}

export interface InstanceSettingsOut {
  "project_creators": "everyone" | "admins";
}

export interface InstanceSettingsUpdate {
  "project_creators"?: "everyone" | "admins" | null;
}

export interface LabelStudioConfig {
  "xml": string;
}

export interface LoginIn {
  "password": string;
  "username": string;
}

export interface LoginOut {
  "csrf_token": string;
  "user": UserOut;
}

export interface MeOut {
  "can_create_projects": boolean;
  "email"?: string | null;
  "id": number;
  "is_active"?: boolean;
  "is_admin": boolean;
  "username": string;
}

export interface MemberOut {
  "role": string;
  "user_id": number;
  "username": string;
}

export interface MemberSet {
  "role": "owner" | "manager" | "reviewer" | "annotator";
  "username": string;
}

export interface NextTaskOut {
  "annotation_count": number;
  "created_at": string;
  "data": Record<string, unknown>;
  "draft": DraftOut | null;
  "external_id": string | null;
  "id": number;
  "is_completed": boolean;
  "lease_expires_at": string;
  "meta": Record<string, unknown>;
  "needs_relabel": boolean;
  "predictions": PredictionOut[];
  "priority": number;
  "project_id": number;
  "updated_at": string;
}

export interface PredictionIn {
  "model_version"?: string;
  "result": Record<string, unknown>[];
  "score"?: number | null;
}

export interface PredictionOut {
  "id"?: number | null;
  "model_version": string;
  "result": Record<string, unknown>[];
  "score": number | null;
  "task_id": number;
}

export interface ProjectCreate {
  "description"?: string;
  "name": string;
  "ordering"?: "sequential" | "random" | "priority";
  "overlap"?: number;
  "schema"?: Record<string, unknown> | string | null;
  "template"?: string | null;
}

export interface ProjectOut {
  "completed_count": number;
  "created_at": string;
  "description": string;
  "id": number;
  "my_annotations": number;
  "name": string;
  "ordering": string;
  "overlap": number;
  "role": string | null;
  "schema": Record<string, unknown>;
  "schema_version": number;
  "task_count": number;
  "updated_at": string;
}

export interface ProjectUpdate {
  "description"?: string | null;
  "name"?: string | null;
  "ordering"?: "sequential" | "random" | "priority" | null;
  "overlap"?: number | null;
}

export interface QueueState {
  "first_skipped": number | null;
  "skipped": number;
}

export interface SchemaChange {
  "changes"?: Record<string, unknown>[];
  "schema": Record<string, unknown> | string;
}

export interface SchemaChangeOut {
  "migrated_annotations": number;
  "relabel_task_ids": number[];
  "relabel_tasks": number;
  "version": number;
}

export interface SchemaCheck {
  "schema": Record<string, unknown> | string;
}

export interface SchemaVersionOut {
  "changes": Record<string, unknown>[];
  "created_at": string;
  "created_by": number | null;
  "schema": Record<string, unknown>;
  "version": number;
}

export interface SignupIn {
  "email"?: string | null;
  "password": string;
  "username": string;
}

export interface TaskCount {
  "count": number;
  "exact": boolean;
}

export interface TaskDelete {
  "ids": number[];
}

export interface TaskOut {
  "annotation_count": number;
  "created_at": string;
  "data": Record<string, unknown>;
  "external_id": string | null;
  "id": number;
  "is_completed": boolean;
  "meta": Record<string, unknown>;
  "needs_relabel": boolean;
  "priority": number;
  "project_id": number;
  "updated_at": string;
}

export interface TaskPage {
  "items": TaskRow[];
  "next": string | null;
  "total": number;
}

export interface TaskRow {
  "annotation_count": number;
  "created_at": string;
  "data": Record<string, unknown>;
  "external_id": string | null;
  "id": number;
  "is_completed": boolean;
  "meta": Record<string, unknown>;
  "needs_relabel": boolean;
  "prediction_score"?: number | null;
  "priority": number;
  "project_id": number;
  "skipped_count"?: number;
  "updated_at": string;
}

export interface TasksDeleted {
  "deleted": number;
}

export interface TemplateOut {
  "category": string;
  "description": string;
  "name": string;
  "title": string;
}

export interface TokenCreate {
  "name"?: string;
}

export interface TokenOut {
  "created_at"?: string | null;
  "id": number;
  "name": string;
  "token"?: string | null;
}

export interface UrlImport {
  "url": string;
}

export interface UserBrief {
  "id": number;
  "username": string;
}

export interface UserCreate {
  "email"?: string | null;
  "is_admin"?: boolean;
  "password": string;
  "username": string;
}

export interface UserOut {
  "email"?: string | null;
  "id": number;
  "is_active"?: boolean;
  "is_admin": boolean;
  "username": string;
}
