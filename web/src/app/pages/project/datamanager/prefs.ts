/** Data manager choices (columns, filters, sort) kept per user and project in localStorage. */

export const ALL_COLUMNS = ['id', 'data', 'status', 'annotators', 'score', 'created', 'updated'] as const;
export type Column = (typeof ALL_COLUMNS)[number];

export interface DmPrefs {
  columns: Column[];
  status: string;
  sort: string;
  order: 'asc' | 'desc';
}

export const DEFAULT_PREFS: DmPrefs = { columns: [...ALL_COLUMNS], status: '', sort: 'id', order: 'asc' };

const key = (userId: number, projectId: number) => `postil.dm.${userId}.${projectId}`;

export function loadPrefs(userId: number, projectId: number): DmPrefs {
  try {
    const raw = window.localStorage.getItem(key(userId, projectId));
    return raw ? { ...DEFAULT_PREFS, ...(JSON.parse(raw) as Partial<DmPrefs>) } : DEFAULT_PREFS;
  } catch {
    return DEFAULT_PREFS;
  }
}

export function savePrefs(userId: number, projectId: number, prefs: DmPrefs): void {
  window.localStorage.setItem(key(userId, projectId), JSON.stringify(prefs));
}
