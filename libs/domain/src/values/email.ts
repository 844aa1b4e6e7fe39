import { type Checked, invalid, valid } from './checked.js';

const LOCAL_PART =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * An e-mail address in the dot-atom form that mail systems deliver to. Quoted
 * local parts, IP literals and non-ASCII addresses are refused; the domain is
 * lower-cased, the local part kept as given.
 */
export function checkEmail(text: string): Checked<string> {
  const address = text.trim();
  if (address.length > 254) return invalid('must have at most 254 characters');
  const at = address.lastIndexOf('@');
  if (at < 1)
    return invalid('must be an e-mail address such as ops@example.com');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    return invalid('has an invalid part before the @');
  }
  if (!isDeliverableDomain(domain))
    return invalid('has an invalid domain after the @');
  return valid(`${local}@${domain}`);
}

function isDeliverableDomain(domain: string): boolean {
  const labels = domain.split('.');
  const top = labels.at(-1) ?? '';
  return (
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL.test(top)
  );
}
