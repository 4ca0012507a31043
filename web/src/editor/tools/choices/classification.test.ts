import { describe, expect, it } from 'vitest';
import { EditorStore } from '../../store';
import type { ControlSpec } from '../../schema';
import { selectedChoices, setNumber, setRating, setText, taxonomyPaths, toggleChoice, toggleTaxonomy } from './classification';

const single: ControlSpec = { name: 'sentiment', type: 'choices', to: ['text'],
  labels: [{ value: 'Positive' }, { value: 'Negative' }] };
const multi: ControlSpec = { ...single, name: 'topic', multiple: true,
  labels: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] };

describe('choices by simulated input', () => {
  it('single-label: a click picks, another replaces, the same one clears', () => {
    const store = new EditorStore();
    store.commit((r) => toggleChoice(r, single, 'Positive'));
    expect(selectedChoices(store.results, single)).toEqual(['Positive']);
    store.commit((r) => toggleChoice(r, single, 'Negative'));
    expect(selectedChoices(store.results, single)).toEqual(['Negative']);
    expect(store.results).toHaveLength(1);
    expect(store.results[0]).toMatchObject({ control: 'sentiment', object: 'text', type: 'choices',
      value: { choices: ['Negative'] } });
    store.commit((r) => toggleChoice(r, single, 'Negative'));
    expect(store.results).toHaveLength(0);
  });

  it('multi-label: toggles and keeps the schema order; undo walks back', () => {
    const store = new EditorStore();
    store.commit((r) => toggleChoice(r, multi, 'C'));
    store.commit((r) => toggleChoice(r, multi, 'A'));
    expect(selectedChoices(store.results, multi)).toEqual(['A', 'C']);
    store.commit((r) => toggleChoice(r, multi, 'C'));
    expect(selectedChoices(store.results, multi)).toEqual(['A']);
    store.undo();
    expect(selectedChoices(store.results, multi)).toEqual(['A', 'C']);
    store.undo();
    store.undo();
    expect(store.results).toHaveLength(0);
    store.redo();
    expect(selectedChoices(store.results, multi)).toEqual(['C']);
  });

  it('rating, number, text and taxonomy', () => {
    const rating: ControlSpec = { name: 'r', type: 'rating', to: ['t'], labels: [], max: 5 };
    const number: ControlSpec = { name: 'n', type: 'number', to: ['t'], labels: [], min: 0, max: 10 };
    const text: ControlSpec = { name: 'x', type: 'textarea', to: ['t'], labels: [], max_length: 3 };
    const tax: ControlSpec = { name: 'tx', type: 'taxonomy', to: ['t'], labels: [], multiple: true };
    let r = setRating([], rating, 4);
    expect(r[0]?.value).toEqual({ rating: 4 });
    expect(setRating(r, rating, 9)).toEqual(r);
    r = setNumber(r, number, 42);
    expect(r[1]?.value).toEqual({ number: 10 });
    r = setText(r, text, 'abcdef');
    expect(r[2]?.value).toEqual({ text: ['abc'] });
    r = toggleTaxonomy(r, tax, ['Animal', 'Cat']);
    r = toggleTaxonomy(r, tax, ['Plant']);
    expect(taxonomyPaths(r, tax)).toEqual([['Animal', 'Cat'], ['Plant']]);
    r = toggleTaxonomy(r, tax, ['Animal', 'Cat']);
    expect(taxonomyPaths(r, tax)).toEqual([['Plant']]);
    expect(setText(r, text, '').some((x) => x.control === 'x')).toBe(false);
  });
});
