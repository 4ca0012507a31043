import { describe, expect, it } from 'vitest';
import type { Result } from './result';
import type { ControlSpec, LabelSchema } from './schema';
import { LabelingSession, type PlayerControls } from './session';

const sentiment: ControlSpec = { name: 'sentiment', type: 'choices', to: ['text'],
  labels: [{ value: 'Good' }, { value: 'Bad' }] };
const entities: ControlSpec = { name: 'entities', type: 'span', to: ['text'], labels: [{ value: 'Person' }] };
const speaker: ControlSpec = { name: 'speaker', type: 'segment', to: ['audio'],
  labels: [{ value: 'A' }, { value: 'B' }] };
const rating: ControlSpec = { name: 'stars', type: 'rating', to: ['text'], labels: [] };

const textSchema: LabelSchema = { objects: [{ name: 'text', type: 'text' }, { name: 'photo', type: 'image' }],
  controls: [sentiment, entities, rating] };
const audioSchema: LabelSchema = { objects: [{ name: 'audio', type: 'audio' }], controls: [speaker] };

const span = (id: string, start: number): Result => ({ id, control: 'entities', object: 'text', type: 'span',
  value: { start, end: start + 1, labels: ['Person'] } });

function player(at: number): PlayerControls {
  return { playPause() {}, seek() {}, speed() {}, zoom() {}, currentTime: () => at };
}

describe('LabelingSession', () => {
  it('makes one tool per text object and per segment or relation control, over the task data', () => {
    const s = new LabelingSession(textSchema, { text: 'Ada Lovelace', photo: '/p.png' });
    expect([...s.spanTools.keys()]).toEqual(['text']);
    expect(s.spanTools.get('text')!.text).toBe('Ada Lovelace');
    expect(s.audioTools.size).toBe(0);
    expect(s.relationTools.size).toBe(0);
    expect(new LabelingSession(textSchema, { text: 42 }).spanTools.get('text')!.text).toBe('');
    const a = new LabelingSession(audioSchema, { audio: '/a.wav' });
    expect([...a.audioTools.keys()]).toEqual(['speaker']);
    expect(a.audioTools.get('speaker')!.object).toBe('audio');
    expect(a.spanTools.size).toBe(0);
    expect(a.store.getState().origin).toBe('empty');
  });

  it('finds controls by name and knows whether the task has media', () => {
    const s = new LabelingSession(textSchema, {});
    expect(s.control('stars')).toBe(rating);
    expect(s.control('nope')).toBeUndefined();
    expect(s.hasMedia()).toBe(false);
    expect(new LabelingSession(audioSchema, {}).hasMedia()).toBe(true);
    const video: LabelSchema = { objects: [{ name: 'photo', type: 'image' }, { name: 'v', type: 'video' }], controls: [] };
    expect(new LabelingSession(video, {}).hasMedia()).toBe(true);
  });

  it('applies a label the way its control works, and ignores controls without labels', () => {
    const s = new LabelingSession(textSchema, { text: 'Ada' });
    s.applyLabel(sentiment, 'Good');
    expect(s.store.results.map((r) => r.value)).toEqual([{ choices: ['Good'] }]);
    s.spanTools.get('text')!.setRange(0, 3);
    s.applyLabel(entities, 'Person');
    expect(s.store.results[1]?.value).toEqual({ start: 0, end: 3, text: 'Ada', labels: ['Person'] });
    const before = s.store.getState().revision;
    s.applyLabel(rating, '5');
    expect(s.store.getState().revision).toBe(before);
  });

  it('a segment label becomes the label of the segment marked next with the player', () => {
    const s = new LabelingSession(audioSchema, {});
    s.markSegment();
    expect(s.store.results).toEqual([]);
    s.player = player(1);
    s.applyLabel(speaker, 'B');
    s.markSegment();
    s.player = player(2.5);
    s.markSegment();
    expect(s.store.results[0]?.value).toEqual({ start: 1, end: 2.5, labels: ['B'] });
  });

  it('walks the regions in order, wrapping around, from nothing selected either way', () => {
    const s = new LabelingSession(textSchema, { text: 'abcdef' }, undefined, [span('c', 4), span('a', 0), span('b', 2)]);
    s.selectNext(1);
    expect(s.store.getState().selectedId).toBe('a');
    s.selectNext(1);
    expect(s.store.getState().selectedId).toBe('b');
    s.selectNext(-1);
    s.selectNext(-1);
    expect(s.store.getState().selectedId).toBe('c');
    s.selectNext(1);
    expect(s.store.getState().selectedId).toBe('a');
    s.store.select(null);
    s.selectNext(-1);
    expect(s.store.getState().selectedId).toBe('c');
    const empty = new LabelingSession(textSchema, {});
    empty.selectNext(1);
    expect(empty.store.getState().selectedId).toBeNull();
  });

  it('deletes the selected region only when there is one', () => {
    const s = new LabelingSession(textSchema, { text: 'abc' }, undefined, [span('a', 0)], 'annotation');
    expect(s.deleteSelected()).toBe(false);
    expect(s.store.results).toHaveLength(1);
    s.store.select('a');
    expect(s.deleteSelected()).toBe(true);
    expect(s.store.results).toEqual([]);
    expect(s.store.getState()).toMatchObject({ selectedId: null, origin: 'annotation' });
  });

  it('reads the measured durations of the task\'s media', () => {
    const s = new LabelingSession(audioSchema, {});
    s.setMediaInfo({ media: { audio: { duration: 2 }, other: { duration: 1 } } });
    s.setMediaInfo({ media: null });
    s.setMediaInfo({ media: { audio: 'x', other: null } });
    s.setMediaInfo({});
    s.audioTools.get('speaker')!.add(0, 3);
    expect(s.store.results[0]?.value).toMatchObject({ start: 0, end: 2 });
  });

  it('without hooks the page\'s actions do nothing', () => {
    const s = new LabelingSession(textSchema, {});
    expect(() => { s.hooks.submit(); s.hooks.skip(); s.hooks.toggleHelp(); s.hooks.toggleGuidelines(); })
      .not.toThrow();
  });

  it('a label for a control the session has no tool for changes nothing', () => {
    const s = new LabelingSession(textSchema, { text: 'abc' }, undefined, [span('a', 0)]);
    s.store.select('a');
    const before = s.store.getState().revision;
    s.applyLabel({ ...entities, to: ['elsewhere'] }, 'Person');
    s.applyLabel({ ...speaker, name: 'other' }, 'A');
    s.applyLabel({ name: 'links', type: 'relation', to: ['entities'], labels: [{ value: 'x' }] }, 'x');
    expect(s.store.getState().revision).toBe(before);
  });

  it('a relation label applies only to a selected relation of its control', () => {
    const relations: ControlSpec = { name: 'relations', type: 'relation', to: ['entities'],
      labels: [{ value: 'knows' }, { value: 'likes' }] };
    const other: ControlSpec = { ...relations, name: 'other' };
    const schema: LabelSchema = { objects: [{ name: 'text', type: 'text' }], controls: [entities, relations, other] };
    const link: Result = { id: 'r', control: 'relations', object: 'text', type: 'relation',
      value: { from_id: 'a', to_id: 'b', direction: 'right', labels: ['knows'] } };
    const s = new LabelingSession(schema, { text: 'ab' }, undefined, [span('a', 0), span('b', 1), link]);
    s.applyLabel(relations, 'likes');
    s.store.select('a');
    s.applyLabel(relations, 'likes');
    expect(s.store.results[2]?.value.labels).toEqual(['knows']);
    s.store.select('r');
    s.applyLabel(other, 'likes');
    expect(s.store.results[2]?.value.labels).toEqual(['knows']);
    s.applyLabel(relations, 'likes');
    expect(s.store.results[2]?.value.labels).toEqual(['likes']);
    const foreign = new LabelingSession(schema, { text: 'ab' }, undefined, [{ ...link, control: 'links' }]);
    foreign.store.select('r');
    foreign.applyLabel({ ...relations, name: 'links' }, 'likes');
    expect(foreign.store.results[0]?.value.labels).toEqual(['knows']);
  });

  it('a click selects a region unless a relation is being drawn', () => {
    const relations: ControlSpec = { name: 'relations', type: 'relation', to: ['entities'], labels: [] };
    const schema: LabelSchema = { objects: [{ name: 'text', type: 'text' }], controls: [entities, relations] };
    const s = new LabelingSession(schema, { text: 'ab' }, undefined, [span('a', 0), span('b', 1)]);
    s.clickRegion('b');
    expect(s.store.getState().selectedId).toBe('b');
    expect(s.store.results).toHaveLength(2);
  });

  it('Escape drops the text selection, a half-marked segment and the selected region', () => {
    const s = new LabelingSession(textSchema, { text: 'abcdef' }, undefined, [span('a', 0)]);
    s.spanTools.get('text')!.setRange(1, 4);
    s.store.select('a');
    s.escape();
    expect(s.spanTools.get('text')!.selection()).toBeNull();
    expect(s.store.getState().selectedId).toBeNull();
    const a = new LabelingSession(audioSchema, {});
    a.player = player(1);
    a.markSegment();
    a.escape();
    a.player = player(2);
    a.markSegment();
    expect(a.store.results).toEqual([]);
    expect(a.audioTools.get('speaker')!.getState().kind).toBe('marking');
  });
});
