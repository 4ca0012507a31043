import { describe, expect, it } from 'vitest';
import type { ControlSpec } from '../../schema';
import { LabelingSession } from '../../session';

const schema = {
  objects: [{ name: 'text', type: 'text' as const }],
  controls: [
    { name: 'entities', type: 'span' as const, to: ['text'], labels: [{ value: 'Person' }, { value: 'Org' }] },
    { name: 'relations', type: 'relation' as const, to: ['entities'], labels: [{ value: 'works_for' }, { value: 'born_in' }],
      directions: ['right', 'left', 'bi'] as ('right' | 'left' | 'bi')[] },
  ] satisfies ControlSpec[],
};

describe('relation tool by simulated input', () => {
  it('select a span, start linking, click the target: an arrow with label and direction', () => {
    const s = new LabelingSession(schema, { text: 'Ada works for Acme' });
    const span = s.spanTools.get('text')!;
    span.setRange(0, 3);
    s.applyLabel(schema.controls[0]!, 'Person');
    const ada = s.store.getState().selectedId!;
    span.setRange(14, 18);
    s.applyLabel(schema.controls[0]!, 'Org');
    const acme = s.store.getState().selectedId!;
    s.store.select(ada);
    expect(s.startRelation()).toBe(true);
    s.clickRegion(acme);
    const rel = s.store.results.find((r) => r.type === 'relation')!;
    expect(rel.value).toEqual({ from_id: ada, to_id: acme, direction: 'right', labels: ['works_for'] });
    const tool = s.relationTools.get('relations')!;
    tool.cycleDirection(rel.id);
    expect(s.store.results.find((r) => r.id === rel.id)?.value.direction).toBe('left');
    s.applyLabel(schema.controls[1]!, 'born_in');
    expect(s.store.results.find((r) => r.id === rel.id)?.value.labels).toEqual(['born_in']);
    // deleting a span removes the relations touching it
    s.store.select(acme);
    s.deleteSelected();
    expect(s.store.results.some((r) => r.type === 'relation')).toBe(false);
    s.store.undo();
    expect(s.store.results.some((r) => r.type === 'relation')).toBe(true);
  });

  it('linking needs a selected region, a region to itself is ignored, Escape cancels', () => {
    const s = new LabelingSession(schema, { text: 'Ada' });
    expect(s.startRelation()).toBe(false);
    s.spanTools.get('text')!.setRange(0, 3);
    s.applyLabel(schema.controls[0]!, 'Person');
    const id = s.store.getState().selectedId!;
    s.startRelation();
    s.clickRegion(id);
    expect(s.store.results).toHaveLength(1);
    s.startRelation();
    s.escape();
    expect(s.relationTools.get('relations')!.getState().kind).toBe('idle');
  });
});
