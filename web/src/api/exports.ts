/** Exports: a project in a format as a file, with the server's report of what it left out. */
import { errorFrom, ApiError } from './http';

export interface ExportSkip {
  task_id: number;
  reason: string;
}

/** The X-Postil-Export-Report header: `skipped` holds the first skips, `skipped_count` all of them. */
export interface ExportReport {
  exported: number;
  skipped_count: number;
  skipped: ExportSkip[];
}

export interface ExportFile {
  blob: Blob;
  filename: string;
  report: ExportReport | null;
}

function isSkip(item: unknown): item is ExportSkip {
  const skip = item as Partial<ExportSkip> | null;
  return typeof skip === 'object' && skip !== null && typeof skip.task_id === 'number' && typeof skip.reason === 'string';
}

/** The report header (ASCII JSON, other characters as \u escapes); null if absent or not a report. */
export function parseExportReport(header: string | null): ExportReport | null {
  if (!header) return null;
  let value: Partial<ExportReport>;
  try {
    value = JSON.parse(header) as Partial<ExportReport>;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof value.exported !== 'number') return null;
  const skipped = Array.isArray(value.skipped) ? value.skipped.filter(isSkip) : [];
  const count = typeof value.skipped_count === 'number' ? value.skipped_count : skipped.length;
  return { exported: value.exported, skipped_count: count, skipped };
}

/** The file name the server gives in Content-Disposition, else a plain one. */
export function exportFilename(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** Fetch the export (the whole file, as the report comes in its header); rejects with ApiError. */
export async function exportProject(projectId: number, format: string): Promise<ExportFile> {
  let response: Response;
  try {
    response = await fetch(`/api/projects/${projectId}/export?format=${encodeURIComponent(format)}`,
      { credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError(0, err instanceof Error ? err.message : 'network error');
  }
  if (!response.ok) throw await errorFrom(response);
  return {
    blob: await response.blob(),
    filename: exportFilename(response.headers.get('content-disposition'), `project-${projectId}.${format}`),
    report: parseExportReport(response.headers.get('x-postil-export-report')),
  };
}

/** Hand the file to the browser's downloads. */
export function saveFile(file: Pick<ExportFile, 'blob' | 'filename'>): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file.blob);
  a.download = file.filename;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
