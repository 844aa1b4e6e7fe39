import { type Checked, invalid, valid } from './checked.js';

// Bidirectional controls can make text read differently from what it holds
// (the "trojan source" trick), and invisible characters can make two names
// look alike, so both are refused everywhere. Joiners stay: emoji and some
// scripts need them.
const UNSAFE =
  /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;
const UNSAFE_EXCEPT_NEWLINES =
  /[^\P{Cc}\n\t]|[\p{Cs}\p{Zl}\p{Zp}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

export function lengthOf(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Printable, single-line text of `min` to `max` characters, trimmed. */
export function checkLine(
  text: string,
  min: number,
  max: number,
): Checked<string> {
  const trimmed = text.trim();
  if (UNSAFE.test(trimmed))
    return invalid('contains control or unsafe characters');
  return checkLength(trimmed, min, max);
}

/** Printable text that may span lines, at most `max` characters, trimmed. */
export function checkParagraphs(text: string, max: number): Checked<string> {
  const trimmed = text.replace(/\r\n?/g, '\n').trim();
  if (UNSAFE_EXCEPT_NEWLINES.test(trimmed)) {
    return invalid('contains control or unsafe characters');
  }
  return checkLength(trimmed, 0, max);
}

/** Optional free text: empty after trimming means none (`null`). */
export function checkNote(text: string, max: number): Checked<string | null> {
  const checked = checkParagraphs(text, max);
  if (!checked.ok) return checked;
  return valid(checked.value === '' ? null : checked.value);
}

function checkLength(text: string, min: number, max: number): Checked<string> {
  const length = lengthOf(text);
  if (length < min) {
    return invalid(
      min === 1 ? 'must not be empty' : `must have at least ${min} characters`,
    );
  }
  if (length > max)
    return invalid(`must have at most ${max} characters, got ${length}`);
  return valid(text);
}

/** An opaque identifier given by another system: 1 to 128 visible ASCII characters. */
export function checkIdentifier(text: string): Checked<string> {
  if (!/^[\x21-\x7e]{1,128}$/.test(text)) {
    return invalid('must be 1 to 128 visible ASCII characters without spaces');
  }
  return valid(text);
}
