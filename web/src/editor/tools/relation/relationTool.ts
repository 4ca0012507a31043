/** The relation tool: pick a source region, then a target; the arrow gets a label and direction. */
import { Observable } from '../../observable';
import { newId, withValue, type Result } from '../../result';
import type { ControlSpec } from '../../schema';
import type { EditorStore } from '../../store';

export type Direction = 'right' | 'left' | 'bi';

export type RelationToolState = { kind: 'idle' } | { kind: 'linking'; fromId: string };

const NEXT_DIRECTION: Record<Direction, Direction> = { right: 'left', left: 'bi', bi: 'right' };

export class RelationTool extends Observable<RelationToolState> {
  constructor(private readonly control: ControlSpec, private readonly store: EditorStore) {
    super({ kind: 'idle' });
  }

  /** Starts from the selected region (a span or segment the control links). */
  start(): boolean {
    const from = this.store.selected;
    if (!from || !this.control.to.includes(from.control)) return false;
    this.setState({ kind: 'linking', fromId: from.id });
    return true;
  }

  cancel(): void {
    this.setState({ kind: 'idle' });
  }

  /** Completes the link to a region; returns the new relation's id (or null when not linking). */
  pick(toId: string): string | null {
    if (this.state.kind !== 'linking') return null;
    const fromId = this.state.fromId;
    const to = this.store.results.find((r) => r.id === toId);
    this.setState({ kind: 'idle' });
    if (!to || toId === fromId || !this.control.to.includes(to.control)) return null;
    const existing = this.store.results.find((r) => r.type === 'relation'
      && r.value.from_id === fromId && r.value.to_id === toId);
    if (existing) {
      this.store.select(existing.id);
      return existing.id;
    }
    const direction = this.control.directions?.[0] ?? 'right';
    const first = this.control.labels[0]?.value;
    const relation: Result = { id: newId(), control: this.control.name, object: to.object,
      type: 'relation', value: { from_id: fromId, to_id: toId, direction, labels: first ? [first] : [] } };
    this.store.commit((rs) => [...rs, relation], { select: relation.id });
    return relation.id;
  }

  /** Cycles right -> left -> bi on the selected relation (within the allowed directions). */
  cycleDirection(id: string): void {
    const allowed = this.control.directions ?? ['right', 'left', 'bi'];
    this.store.commit((rs) => rs.map((r) => {
      if (r.id !== id || r.type !== 'relation') return r;
      let next = NEXT_DIRECTION[(r.value.direction as Direction | undefined) ?? 'right'];
      while (!allowed.includes(next)) next = NEXT_DIRECTION[next];
      return withValue(r, { direction: next });
    }));
  }

  setLabel(id: string, label: string): void {
    this.store.commit((rs) => rs.map((r) => (r.id === id ? withValue(r, { labels: label ? [label] : [] }) : r)));
  }
}
