import type { ValidationError } from 'class-validator';

/** One rejected part of a command: where, and what is wrong with it. */
export interface FieldProblem {
  /**
   * The dotted path of the field, such as `payload.apiKeyRotation.maxAgeDays`
   * or `payload.ipAllowlist.3`; empty for the envelope as a whole.
   */
  readonly field: string;
  readonly problem: string;
}

const MAX_KEY_LENGTH = 64;

/**
 * The path of `key` inside the field at `path`. Long keys are cut short, so
 * that a refusal does not echo a huge unknown key back to its sender.
 */
export function fieldPath(path: string, key: string): string {
  const shown =
    key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}…` : key;
  return path === '' ? shown : `${path}.${shown}`;
}

/**
 * Flattens class-validator errors into one problem per field: the first
 * failing rule of the field. A field that is itself wrong (not an object,
 * say) does not also report the fields inside it.
 */
export function toFieldProblems(
  errors: readonly ValidationError[],
  path: string,
): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = fieldPath(path, error.property);
    const constraints = error.constraints ?? {};
    if (constraints.whitelistValidation !== undefined) {
      return [{ field, problem: 'is not a known field' }];
    }
    const [problem] = Object.values(constraints);
    if (problem !== undefined) return [{ field, problem }];
    return toFieldProblems(error.children ?? [], field);
  });
}
