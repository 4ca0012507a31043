/** Exports chosen tasks: the API exports whole projects, so the JSONL is filtered here. */
import { ApiError } from '../../../../api/http';

export async function exportSelected(projectId: number, ids: Set<number>): Promise<number> {
  const response = await fetch(`/api/projects/${projectId}/export?format=jsonl`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, 'export failed');
  const lines = (await response.text()).split('\n').filter((line) => {
    if (!line.trim()) return false;
    try {
      return ids.has((JSON.parse(line) as { id: number }).id);
    } catch {
      return false;
    }
  });
  const blob = new Blob([lines.join('\n') + '\n'], { type: 'application/x-ndjson' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `project-${projectId}-selected.jsonl`;
  a.click();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  return lines.length;
}
