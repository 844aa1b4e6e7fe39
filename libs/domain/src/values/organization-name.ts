import { type Checked, invalid, valid } from './checked.js';

const NAME = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

/**
 * The unique name of an organization, in its canonical lower-case form.
 * Names are compared case-insensitively, so `Acme-IoT` and `acme-iot` are one name.
 */
export function checkOrganizationName(text: string): Checked<string> {
  // Checked before lower-casing: Unicode case rules turn some non-ASCII
  // letters (the Kelvin sign, say) into ASCII ones.
  if (!/^[A-Za-z0-9-]*$/.test(text)) {
    return invalid(
      'may hold only a-z, 0-9 and hyphens, and must not start or end with a hyphen',
    );
  }
  const name = text.toLowerCase();
  if (name.length < 3 || name.length > 63) {
    return invalid('must have 3 to 63 characters');
  }
  if (!NAME.test(name)) {
    return invalid(
      'may hold only a-z, 0-9 and hyphens, and must not start or end with a hyphen',
    );
  }
  return valid(name);
}
