// Generates src/api/schema.gen.ts (the API's types) from the committed ../openapi.json.
// Run: node scripts/gen-api.mjs   (the output is committed; a vitest test checks it is current)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function typeOf(s) {
  if (!s) return 'unknown';
  if (s.$ref) return s.$ref.split('/').pop();
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(' | ');
  switch (s.type) {
    case 'string': return 'string';
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `${wrap(typeOf(s.items))}[]`;
    case 'object':
      if (s.properties) return inline(s);
      return 'Record<string, unknown>';
    default: return 'unknown';
  }
}

function wrap(t) { return t.includes('|') ? `(${t})` : t; }

function inline(s) {
  const req = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(
    ([k, v]) => `${JSON.stringify(k)}${req.has(k) ? '' : '?'}: ${typeOf(v)}`);
  return `{ ${fields.join('; ')} }`;
}

export function generate(openapi) {
  const out = ['/** Generated from openapi.json by scripts/gen-api.mjs: do not edit. */', ''];
  for (const [name, s] of Object.entries(openapi.components.schemas)) {
    const req = new Set(s.required ?? []);
    out.push(`export interface ${name} {`);
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const optional = req.has(k) ? '' : '?';
      out.push(`  ${JSON.stringify(k)}${optional}: ${typeOf(v)};`);
    }
    out.push('}', '');
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const openapi = JSON.parse(readFileSync(join(here, '../../openapi.json'), 'utf8'));
  writeFileSync(join(here, '../src/api/schema.gen.ts'), generate(openapi));
}
