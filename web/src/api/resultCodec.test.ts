import { describe, expect, it } from 'vitest';
import type { LabelSchema } from '../editor/schema';
import { fromServer, toServer } from './resultCodec';

const schema: LabelSchema = { objects: [{ name: 'text', type: 'text' }],
  controls: [{ name: 'ner', type: 'span', to: ['text'], labels: [{ value: 'X' }] }] };

describe('result codec', () => {
  it('sends code points and reads them back as UTF-16', () => {
    const data = { text: '💩This is an annotation.' };
    const editor = [{ id: 'a', control: 'ner', object: 'text', type: 'span' as const,
      value: { start: 13, end: 23, text: 'annotation', labels: ['X'] } }];
    const sent = toServer(schema, data, editor);
    expect(sent[0]?.value).toEqual({ start: 12, end: 22, text: 'annotation', labels: ['X'] });
    expect(fromServer(schema, data, sent)[0]?.value).toEqual(editor[0]?.value);
  });
});
