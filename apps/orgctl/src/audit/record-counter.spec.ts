import { describe, expect, it } from '@jest/globals';

import { RecordCounter } from './record-counter.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('RecordCounter', () => {
  it('counts NDJSON lines across chunks', () => {
    const counter = new RecordCounter(false);

    counter.add(bytes('{"a":1}\n{"a"'));
    const total = counter.add(bytes(':2}\n'));

    expect(total).toBe(2);
  });

  it('counts CSV rows without the header, and not line breaks inside quotes', () => {
    const counter = new RecordCounter(true);

    counter.add(bytes('position,reference\n1,"SUP-1\nsecond line"\n2,"a ""'));
    counter.add(bytes('quoted"" word"\n'));

    expect(counter.records).toBe(2);
  });
});
