import { describe, expect, it } from 'vitest';
import { countText, emptyText, listLength, type ListFacts } from './listCount';

const facts = (f: Partial<ListFacts>): ListFacts => ({ filtered: false, loaded: 0, more: true, total: 0, count: null, ...f });

describe('data manager count', () => {
  it('a filter shows its own count, not the project\'s, and no rows past its matches', () => {
    const f = facts({ filtered: true, loaded: 3, more: false, total: 1_000_000, count: { count: 3, exact: true } });
    expect(listLength(f)).toBe(3);
    expect(countText(f)).toBe('3 of 1,000,000 tasks match');
    expect(emptyText(f)).toBeNull();
  });

  it('while pages remain, the list is as long as the count promises', () => {
    const f = facts({ filtered: true, loaded: 100, total: 1_000_000, count: { count: 2_500, exact: true } });
    expect(listLength(f)).toBe(2_500);
    expect(countText(f)).toBe('2,500 of 1,000,000 tasks match');
  });

  it('a capped count says "+" and the list grows as pages come', () => {
    const f = facts({ filtered: true, loaded: 10_200, total: 1_000_000, count: { count: 10_000, exact: false } });
    expect(listLength(f)).toBe(10_201);
    expect(countText(f)).toBe('10,000+ of 1,000,000 tasks match');
  });

  it('before the count arrives: counting, and one row to ask for more', () => {
    const f = facts({ filtered: true, loaded: 100, total: 500 });
    expect(countText(f)).toBe('counting… of 500 tasks');
    expect(listLength(f)).toBe(101);
  });

  it('without filters, the project\'s count', () => {
    expect(countText(facts({ loaded: 100, total: 1_000_000 }))).toBe('1,000,000 tasks');
    expect(listLength(facts({ loaded: 100, total: 1_000_000 }))).toBe(1_000_000);
    expect(countText(facts({ loaded: 1, more: false, total: 1 }))).toBe('1 task');
  });

  it('an empty result says so, and why', () => {
    const none = facts({ filtered: true, more: false, total: 25, count: { count: 0, exact: true } });
    expect(emptyText(none)).toBe('No task matches this filter and search.');
    expect(countText(none)).toBe('0 of 25 tasks match');
    expect(listLength(none)).toBe(0);
    expect(emptyText(facts({ more: false }))).toBe('This project has no tasks yet: import some.');
    expect(emptyText(facts({ filtered: true }))).toBeNull();
  });
});
