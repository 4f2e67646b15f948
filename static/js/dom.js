// Small DOM helpers: element building without innerHTML, so ledger text is never parsed as HTML.

/**
 * h builds an element: h('button', {class: 'x', onclick: fn, 'aria-label': '..'}, child, ...).
 * Children may be strings, numbers, nodes, arrays or null (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style' && typeof v === 'object') {
      // setProperty, unlike assignment, also sets custom properties such as --c.
      for (const [p, x] of Object.entries(v)) if (x != null) el.style.setProperty(p.startsWith('--') ? p : p.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), x);
    }
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** $ finds one element by selector (in root, default document). */
export const $ = (sel, root = document) => root.querySelector(sel);

/** $$ finds every element matching selector as an array. */
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** debounce delays fn until `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** toast shows a short message at the bottom of the screen. */
export function toast(msg, kind = 'info') {
  const box = $('#toasts');
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, msg);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 6000 : 2500);
}

/** keepFocus runs render (which rebuilds part of root) and puts focus back where it was. */
export function keepFocus(root, render) {
  const a = document.activeElement;
  let sel = null;
  if (a && root.contains(a)) {
    if (a.id) sel = `#${CSS.escape(a.id)}`;
    else if (a.name) sel = `[name="${CSS.escape(a.name)}"][value="${CSS.escape(a.value)}"]`;
    else if (a.dataset.filter) sel = `[data-filter="${CSS.escape(a.dataset.filter)}"][data-value="${CSS.escape(a.dataset.value)}"]`;
  }
  const caret = a?.type === 'search' || a?.type === 'text' ? a.selectionStart : null;
  render();
  if (!sel) return;
  const el = root.querySelector(sel);
  el?.focus();
  if (el && caret != null) el.setSelectionRange(caret, caret);
}

/** fill replaces el's children with the given ones (null and false are skipped, unlike replaceChildren). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * tablist makes buttons with role=tab work as one tab list: a click or the arrow keys select a
 * tab and show its panel (aria-controls), hiding the others; only the selected tab is in the
 * tab order.
 */
export function tablist(tabs) {
  const select = (tab) => {
    for (const x of tabs) {
      const on = x === tab;
      x.setAttribute('aria-selected', String(on));
      x.tabIndex = on ? 0 : -1;
      document.getElementById(x.getAttribute('aria-controls')).hidden = !on;
    }
  };
  for (const [i, tab] of tabs.entries()) {
    tab.onclick = () => select(tab);
    tab.onkeydown = (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length];
      select(next);
      next.focus();
    };
  }
}

/**
 * modal opens a modal <dialog> with a title bar and body children; it is removed from the page
 * when closed. closable=false leaves out the close button and ignores Escape (a forced step).
 * Returns { dialog, body, close }.
 */
export function modal({ id, title, wide = false, closable = true, onClose }, ...children) {
  const body = h('div', { class: 'modal-body' }, children);
  const close = () => dialog.close();
  const dialog = h('dialog', { class: `modal${wide ? ' modal-wide' : ''}`, id, 'aria-labelledby': `${id}-title` },
    h('div', { class: 'modal-head' },
      h('h2', { id: `${id}-title` }, title),
      closable ? h('button', { type: 'button', class: 'icon-btn', 'aria-label': '×', 'data-close': '', onclick: close }, '×') : null),
    body);
  dialog.addEventListener('cancel', (e) => { if (!closable) e.preventDefault(); });
  dialog.addEventListener('close', () => { dialog.remove(); onClose?.(); });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body, close };
}

/**
 * table builds a table.grid: columns are [{ label, cell(row) → node|string, cls }]; rowAttrs(row)
 * gives each <tr>'s attributes.
 */
export function table(columns, rows, rowAttrs = () => ({})) {
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.cls }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', rowAttrs(r), columns.map((c) => h('td', { class: c.cls }, c.cell(r)))))));
}

/** field wraps a control with its label, as the forms of the dialogs lay them out. */
export function field(label, control) {
  return h('label', { class: 'form-field' }, h('span', {}, label), control);
}
