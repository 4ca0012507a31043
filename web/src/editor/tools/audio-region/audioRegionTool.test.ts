import { describe, expect, it } from 'vitest';
import { childOf, labelsOf } from '../../result';
import type { ControlSpec } from '../../schema';
import { LabelingSession } from '../../session';
import { EditorStore } from '../../store';
import { AudioRegionTool } from './audioRegionTool';

const speaker: ControlSpec = { name: 'speaker', type: 'segment', to: ['audio'],
  labels: [{ value: 'Speaker 1' }, { value: 'Speaker 2' }] };
const transcript: ControlSpec = { name: 'transcript', type: 'textarea', to: ['audio'], labels: [], per_region: true };

describe('audio region tool by simulated input', () => {
  it('drag draws a segment with the active label; a tiny drag is a click', () => {
    const store = new EditorStore();
    const tool = new AudioRegionTool(speaker, 'audio', store, 10);
    tool.pointerDown(1);
    tool.pointerMove(2);
    expect(tool.getState()).toMatchObject({ kind: 'drawing', start: 1, current: 2 });
    const id = tool.pointerUp(2.5);
    expect(store.results[0]).toMatchObject({ id, type: 'segment', value: { start: 1, end: 2.5, labels: ['Speaker 1'] } });
    tool.pointerDown(4);
    expect(tool.pointerUp(4.01)).toBeNull();
    expect(store.results).toHaveLength(1);
  });

  it('keyboard marks, clamps to the duration, relabels, moves and writes a transcript', () => {
    const store = new EditorStore();
    const tool = new AudioRegionTool(speaker, 'audio', store, 10);
    tool.label('Speaker 2');
    expect(tool.mark(12)).toBeNull();
    const id = tool.mark(8)!;
    expect(store.results[0]?.value).toEqual({ start: 8, end: 10, labels: ['Speaker 2'] });
    tool.label('Speaker 1');
    expect(labelsOf(store.results[0]!)).toEqual(['Speaker 1']);
    tool.update(id, 3, 1);
    expect(store.results[0]?.value).toMatchObject({ start: 1, end: 3 });
    tool.setTranscript(id, transcript, 'h');
    tool.setTranscript(id, transcript, 'hello');
    expect(childOf(store.results, id, 'transcript')).toMatchObject({ type: 'textarea', parent_id: id, value: { text: ['hello'] } });
    store.undo();
    expect(childOf(store.results, id, 'transcript')).toBeUndefined();
    tool.setTranscript(id, transcript, 'x');
    tool.setTranscript(id, transcript, '');
    expect(store.results).toHaveLength(1);
  });

  it('ends at the media duration, never past it: 1.553 s on a 1.55288 s clip is 1.55288 s', () => {
    const store = new EditorStore();
    const tool = new AudioRegionTool(speaker, 'audio', store, 1.55288);
    const id = tool.add(0.5, 1.553)!;
    expect(store.results[0]?.value).toEqual({ start: 0.5, end: 1.55288, labels: ['Speaker 1'] });
    tool.update(id, 0.2, 1.5525);
    expect(store.results[0]?.value).toMatchObject({ start: 0.2, end: 1.55288 });
    tool.update(id, 0.2, 1.5512);
    expect(store.results[0]?.value).toMatchObject({ start: 0.2, end: 1.551 });
    tool.pointerDown(1);
    tool.pointerUp(7);
    expect(store.results[1]?.value).toMatchObject({ start: 1, end: 1.55288 });
  });

  it('the shortest known duration bounds segments: the server\'s (task meta) or the player\'s', () => {
    const schema = { objects: [{ name: 'audio', type: 'audio' as const }], controls: [speaker] };
    const session = new LabelingSession(schema, { audio: '/a.wav' });
    session.setMediaInfo({ media: { audio: { duration: 1.55288 } } });
    session.setDuration('audio', 1.553);
    session.setDuration('audio', Number.NaN);
    session.setDuration('other', 0.5);
    session.audioTools.get('speaker')!.add(0, 1.553);
    expect(session.store.results[0]?.value).toMatchObject({ start: 0, end: 1.55288 });
  });
});
