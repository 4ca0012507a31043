/** Exports chosen tasks as JSONL: the server filters by id and streams the file. */
import { ApiError } from '../../../../api/http';

export async function exportSelected(projectId: number, ids: Set<number>): Promise<number> {
  const query = new URLSearchParams({ format: 'jsonl' });
  for (const id of ids) query.append('ids', String(id));
  const response = await fetch(`/api/projects/${projectId}/export?${query}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, 'export failed');
  const blob = await response.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `project-${projectId}-selected.jsonl`;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  const report = JSON.parse(response.headers.get('x-postil-export-report') ?? '{"exported":0}') as { exported: number };
  return report.exported;
}
