import { describe, expect, it } from 'vitest';
import { importMessage } from './importMessage';

describe('importMessage', () => {
  it('says when nothing was new (re-importing the same file)', () => {
    expect(importMessage({ imported: 0, duplicates: 4 })).toBe('Nothing new: all 4 tasks were already in the project.');
    expect(importMessage({ imported: 0, duplicates: 1 })).toBe('Nothing new: the task was already in the project.');
  });

  it('counts new and already-there tasks apart', () => {
    expect(importMessage({ imported: 1, duplicates: 4 })).toBe('Imported 1 new task. 4 tasks were already there.');
    expect(importMessage({ imported: 3, duplicates: 1 })).toBe('Imported 3 new tasks. 1 task was already there.');
  });

  it('all new', () => {
    expect(importMessage({ imported: 4, duplicates: 0 })).toBe('Imported 4 new tasks.');
  });

  it('an upload without tasks', () => {
    expect(importMessage({ imported: 0, duplicates: 0 })).toBe('The files held no tasks.');
  });
});
