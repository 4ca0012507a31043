/** React binding of a TaskPager for the current query (a new query starts a new pager). */
import { useEffect, useRef, useState } from 'react';
import { api, type TaskQuery } from '../../../../api/endpoints';
import { TaskPager, type PagerState } from './taskPager';

export function useTaskPager(projectId: number, query: TaskQuery) {
  const [state, setState] = useState<PagerState | null>(null);
  const pager = useRef<TaskPager | null>(null);
  const key = JSON.stringify(query);
  useEffect(() => {
    const p = new TaskPager((q, signal) => api.tasks(projectId, q, signal), JSON.parse(key) as TaskQuery, setState);
    pager.current = p;
    setState(p.state);
    p.ensure(0);
    return () => p.dispose();
  }, [projectId, key]);
  return {
    state,
    ensure: (index: number) => pager.current?.ensure(index),
    removeIds: (ids: Set<number>) => pager.current?.removeIds(ids),
  };
}
