/** The outcome of checking one input value: its normalized form, or why not. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

export function valid<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function invalid<T>(problem: string): Checked<T> {
  return { ok: false, problem };
}
