/** The labeling screen for a schema, on sample data, as the annotators will see it. */
import { useMemo } from 'react';
import { dataKey, type LabelSchema } from '../../../editor/schema';
import { LabelingSession } from '../../../editor/session';
import { buildActions } from '../../../editor/catalog';
import { KeysContext } from '../labeling/keysContext';
import { LabelingScreen } from '../labeling/LabelingScreen';

const SAMPLE_TEXT = 'Ada Lovelace wrote the first program for Charles Babbage’s Analytical Engine in London. 💩 Emoji are fine.';
const SAMPLE_IMAGE = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270"><rect width="480" height="270" fill="#dde5ee"/><circle cx="170" cy="140" r="60" fill="#7a8ca3"/><rect x="260" y="90" width="120" height="110" fill="#a3b18a"/><text x="240" y="250" font-size="16" text-anchor="middle" fill="#445">sample image</text></svg>')}`;

function sampleData(schema: LabelSchema): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const o of schema.objects) {
    if (o.type === 'text') data[dataKey(o)] = SAMPLE_TEXT;
    if (o.type === 'image') data[dataKey(o)] = SAMPLE_IMAGE;
  }
  return data;
}

export function SchemaPreview({ schema }: { schema: LabelSchema }) {
  const session = useMemo(() => new LabelingSession(schema, sampleData(schema)), [schema]);
  const actions = useMemo(() => buildActions(session), [session]);
  return (
    <KeysContext.Provider value={{ actions, overrides: {} }}>
      <div className="preview-box" aria-label="Preview of the labeling screen">
        <LabelingScreen session={session} />
      </div>
    </KeysContext.Provider>
  );
}
