import type { CommandType } from '@org/contracts';

import { camelToKebab } from './names.js';
import type { FieldType, PayloadField } from './schema-fields.js';

const SAMPLE_ORG_ID = '0192f6c3-0000-7000-8000-000000000001';

/**
 * An example invocation of a domain command, generated from its payload
 * fields: the required ones, or the first field when none is required.
 */
export function exampleOf(
  prefix: string,
  type: CommandType,
  fields: readonly PayloadField[],
): string {
  const required = fields.filter((field) => field.required);
  const shown = required.length > 0 ? required : fields.slice(0, 1);
  const words = [
    prefix,
    camelToKebab(type),
    ...(type === 'CreateOrganization' ? [] : [`--org ${SAMPLE_ORG_ID}`]),
    '--ref SUP-1',
    ...shown.map(flagOf),
  ];
  return wrap(words);
}

/** Words on lines of at most 76 characters, continued with backslashes. */
function wrap(words: readonly string[]): string {
  const lines = [''];
  for (const word of words) {
    const last = lines.length - 1;
    const line = lines[last] ?? '';
    if (line === '') lines[last] = word;
    else if (line.length + word.length + 1 <= 70)
      lines[last] = `${line} ${word}`;
    else lines.push(word);
  }
  return lines.join(' \\\n      ');
}

function flagOf(field: PayloadField): string {
  if (field.type.kind === 'boolean') return `--${field.flag}`;
  return `--${field.flag} ${sampleOf(field.flag, field.type)}`;
}

function sampleOf(flag: string, type: FieldType): string {
  switch (type.kind) {
    case 'enum':
      return type.choices[0] ?? '<value>';
    case 'integer':
      return String(Math.max(type.min ?? 1, 1));
    case 'text':
      return type.format === 'email' ? 'ops@example.com' : `<${flag}>`;
    case 'list':
      return sampleOf(flag, type.item);
    case 'record':
      return 'tier=gold';
    case 'object':
      return Object.keys(type.fields)
        .map((key) => `${camelToKebab(key)}=1`)
        .join(',');
    case 'boolean':
    case 'json':
      return "'{}'";
  }
}
