/** Keyset pages of a task list, loaded on demand as a dense prefix (the API pages forward only). */
import type { TaskPage, TaskQuery, TaskRow } from '../../../../api/endpoints';

export type FetchPage = (query: TaskQuery, signal: AbortSignal) => Promise<TaskPage>;

export interface PagerState {
  rows: TaskRow[];
  /** The project's task count (whatever the filters). */
  total: number | null;
  /** Pages remain to be loaded. */
  more: boolean;
  loading: boolean;
  error: unknown;
  /** Milliseconds taken by the first page and the last page (for the benchmark). */
  firstMs: number | null;
  lastMs: number | null;
}

export const FIRST_PAGE = 100;
export const PAGE = 200;
export const BIG_PAGE = 1000;

export class TaskPager {
  state: PagerState = { rows: [], total: null, more: true, loading: false, error: null, firstMs: null, lastMs: null };
  private cursor: string | null = null;
  private done = false;
  private wanted = FIRST_PAGE;
  private controller = new AbortController();
  private running = false;

  constructor(private readonly fetchPage: FetchPage, private readonly query: TaskQuery,
    private readonly onChange: (state: PagerState) => void) {}

  /** Make sure rows up to `index` are (being) loaded. */
  ensure(index: number): void {
    this.wanted = Math.max(this.wanted, index + 1);
    void this.pump();
  }

  dispose(): void {
    this.controller.abort();
  }

  /** Removes rows locally after a delete (the server already dropped them). */
  removeIds(ids: Set<number>): void {
    const rows = this.state.rows.filter((r) => !ids.has(r.id));
    const removed = this.state.rows.length - rows.length;
    this.set({ rows, total: this.state.total === null ? null : this.state.total - removed });
  }

  private set(patch: Partial<PagerState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.done && this.state.rows.length < this.wanted) {
        const missing = this.wanted - this.state.rows.length;
        const limit = this.state.rows.length === 0 ? FIRST_PAGE : missing > PAGE * 2 ? BIG_PAGE : PAGE;
        this.set({ loading: true });
        const t0 = performance.now();
        const page = await this.fetchPage({ ...this.query, limit, cursor: this.cursor }, this.controller.signal);
        const ms = performance.now() - t0;
        this.cursor = page.next ?? null;
        this.done = !page.next;
        this.set({ rows: [...this.state.rows, ...page.items], total: page.total, more: !this.done, loading: false,
          firstMs: this.state.firstMs ?? ms, lastMs: ms });
      }
    } catch (error) {
      if (!this.controller.signal.aborted) this.set({ loading: false, error });
    } finally {
      this.running = false;
    }
  }
}
