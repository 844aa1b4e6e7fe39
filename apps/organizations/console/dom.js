/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * An element with attributes and children. Children that are text become
 * text nodes, so nothing rendered is ever parsed as markup.
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Readonly<Record<string, string | number | boolean | undefined>>} [attributes]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (/^on|^style$/i.test(name)) {
      throw new Error(`set ${name} through the DOM, not as an attribute`);
    }
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element | DocumentFragment} parent
 * @param {readonly Child[]} children
 */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/**
 * A labelled form control: the label names it by `for`.
 *
 * @param {string} label
 * @param {HTMLInputElement | HTMLSelectElement} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  const hintId = hint === undefined ? undefined : `${control.id}-hint`;
  if (hintId !== undefined) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint === undefined ? null : h('span', { class: 'hint', id: hintId }, hint),
  );
}

/**
 * @param {string} id
 * @param {string} value
 * @param {Readonly<Record<string, string | number | boolean | undefined>>} [attributes]
 */
export function input(id, value, attributes = {}) {
  const control = h('input', { id, name: id, type: 'text', ...attributes });
  control.value = value;
  return control;
}

/**
 * @param {string} id
 * @param {readonly (readonly [string, string])[]} options value and text
 * @param {string} selected
 */
export function select(id, options, selected) {
  const control = h(
    'select',
    { id, name: id },
    ...options.map(([value, text]) => h('option', { value }, text)),
  );
  control.value = selected;
  return control;
}

/**
 * A definition list of label and value pairs.
 *
 * @param {readonly (readonly [string, Child])[]} rows
 */
export function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    ...rows.flatMap(([term, value]) => [
      h('dt', {}, term),
      h('dd', {}, value ?? '—'),
    ]),
  );
}

/**
 * A table with a caption, column headings and rows of cells.
 *
 * @param {string} caption
 * @param {readonly string[]} headings
 * @param {readonly (readonly Child[])[]} rows
 * @param {string} [empty] shown instead when there are no rows
 */
export function table(caption, headings, rows, empty = 'Nothing to show.') {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h('tr', {}, ...headings.map((t) => h('th', { scope: 'col' }, t))),
      ),
      h(
        'tbody',
        {},
        ...rows.map((cells) =>
          h('tr', {}, ...cells.map((cell) => h('td', {}, cell))),
        ),
      ),
    ),
  );
}

/**
 * A section with a heading, labelled by it.
 *
 * @param {string} id
 * @param {string} title
 * @param {...Child} children
 */
export function section(id, title, ...children) {
  return h(
    'section',
    { 'aria-labelledby': id },
    h('h2', { id }, title),
    ...children,
  );
}
