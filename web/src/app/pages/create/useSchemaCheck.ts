/** Checks schema text on the server as the user types (debounced): the normalized schema or errors. */
import { useEffect, useState } from 'react';
import { api } from '../../../api/endpoints';
import { normalizeSchema, type LabelSchema } from '../../../editor/schema';

export interface SchemaCheck {
  schema: LabelSchema | null;
  raw: Record<string, unknown> | null;
  error: unknown;
  checking: boolean;
}

export function useSchemaCheck(text: string, delayMs = 400): SchemaCheck {
  const [state, setState] = useState<SchemaCheck>({ schema: null, raw: null, error: null, checking: false });
  useEffect(() => {
    if (!text.trim()) {
      setState({ schema: null, raw: null, error: null, checking: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, checking: true }));
    const t = window.setTimeout(() => {
      api.checkSchema(text).then((raw) => live && setState({ schema: normalizeSchema(raw), raw, error: null, checking: false }),
        (error: unknown) => live && setState((s) => ({ ...s, error, checking: false })));
    }, delayMs);
    return () => { live = false; window.clearTimeout(t); };
  }, [text, delayMs]);
  return state;
}
