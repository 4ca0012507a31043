/** How long the data manager's list is and what its footer says, from the pages loaded so far,
 * the project's count and the count of the filtered tasks (which the server caps). */
import type { TaskCount } from '../../../../api/endpoints';

export interface ListFacts {
  /** A status filter or a search is on. */
  filtered: boolean;
  loaded: number;
  /** Pages remain. */
  more: boolean;
  /** The project's task count. */
  total: number;
  /** The filtered count, once the server has answered (null before, or unfiltered). */
  count: TaskCount | null;
}

/** Rows for the virtual list: what the count promises while pages remain, exactly what was
 * loaded once they are all in (placeholders beyond the matches would never fill). */
export function listLength(f: ListFacts): number {
  if (!f.more) return f.loaded;
  const promised = f.filtered ? (f.count?.count ?? 0) : f.total;
  return Math.max(promised, f.loaded + 1);
}

/** The footer's count: the project's, or how many of it match ("10,000+" past the cap). */
export function countText(f: ListFacts): string {
  const total = f.total.toLocaleString('en-US');
  if (!f.filtered) return `${total} task${f.total === 1 ? '' : 's'}`;
  const known = !f.more ? { count: f.loaded, exact: true } : f.count;
  if (!known) return `counting… of ${total} tasks`;
  return `${known.count.toLocaleString('en-US')}${known.exact ? '' : '+'} of ${total} tasks match`;
}

/** What an empty list says, or null while loading or when rows exist. */
export function emptyText(f: ListFacts): string | null {
  if (f.loaded > 0 || f.more) return null;
  return f.filtered ? 'No task matches this filter and search.' : 'This project has no tasks yet: import some.';
}
