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

  it('keeps an imported span that cuts a grapheme cluster as it is, both ways', () => {
    const data = { text: '\u{1F468}\u{1F3FB}\u200D\u{1F692} firemen' };
    // code points 0..2 are 👨🏻: the fireman cluster without its ZWJ and fire engine
    const stored = [{ id: 'a', control: 'ner', object: 'text', type: 'span', value: { start: 0, end: 2, text: '\u{1F468}\u{1F3FB}', labels: ['X'] } }];
    const editor = fromServer(schema, data, stored);
    expect(editor[0]?.value).toEqual({ start: 0, end: 4, text: '\u{1F468}\u{1F3FB}', labels: ['X'] });
    expect(toServer(schema, data, editor)[0]?.value).toEqual(stored[0]?.value);
  });
});

