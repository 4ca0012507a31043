/** What an import did, in words: how many tasks were new and how many were already there. */
import type { ImportReport } from '../../../api/endpoints';

function tasks(count: number): string {
  return `${count} ${count === 1 ? 'task' : 'tasks'}`;
}

/** `duplicates` counts tasks the project already had (same data or external id) and repeats within the upload. */
export function importMessage({ imported, duplicates }: Pick<ImportReport, 'imported' | 'duplicates'>): string {
  if (imported === 0 && duplicates === 0) return 'The files held no tasks.';
  if (imported === 0) {
    return duplicates === 1 ? 'Nothing new: the task was already in the project.'
      : `Nothing new: all ${duplicates} tasks were already in the project.`;
  }
  const already = duplicates === 0 ? '' : ` ${tasks(duplicates)} ${duplicates === 1 ? 'was' : 'were'} already there.`;
  return `Imported ${imported} new ${imported === 1 ? 'task' : 'tasks'}.${already}`;
}
