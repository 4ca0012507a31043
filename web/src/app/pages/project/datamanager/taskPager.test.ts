import { describe, expect, it } from 'vitest';
import type { TaskRow, TaskPage, TaskQuery } from '../../../../api/endpoints';
import { TaskPager } from './taskPager';

function fakeApi(total: number) {
  const calls: TaskQuery[] = [];
  const fetchPage = async (q: TaskQuery): Promise<TaskPage> => {
    calls.push(q);
    const from = q.cursor ? Number(q.cursor) : 0;
    const to = Math.min(total, from + (q.limit ?? 100));
    const items = Array.from({ length: to - from }, (_, i) => ({ id: from + i + 1 }) as TaskRow);
    return { items, next: to < total ? String(to) : null, total };
  };
  return { calls, fetchPage };
}

describe('TaskPager', () => {
  it('loads the first page, then pages on demand, bigger ones for far jumps', async () => {
    const { calls, fetchPage } = fakeApi(10_000);
    let last = 0;
    const pager = new TaskPager(fetchPage, { sort: 'id' }, (s) => { last = s.rows.length; });
    pager.ensure(10);
    await new Promise((r) => setTimeout(r, 0));
    expect(last).toBe(100);
    expect(pager.state.total).toBe(10_000);
    pager.ensure(3000);
    await new Promise((r) => setTimeout(r, 10));
    expect(last).toBeGreaterThanOrEqual(3001);
    expect(calls.some((c) => c.limit === 1000)).toBe(true);
    pager.removeIds(new Set([1, 2]));
    expect(pager.state.total).toBe(9_998);
    expect(pager.state.rows[0]?.id).toBe(3);
  });

  it('stops at the end of the list', async () => {
    const { calls, fetchPage } = fakeApi(150);
    const pager = new TaskPager(fetchPage, {}, () => {});
    pager.ensure(1000);
    await new Promise((r) => setTimeout(r, 10));
    expect(pager.state.rows).toHaveLength(150);
    expect(calls).toHaveLength(2);
  });
});
