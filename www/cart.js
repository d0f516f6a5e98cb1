// The cart page: quantities, removing lines, and discount codes. A refused
// code is a form error on the field (aria-invalid with its message) and a
// `coupon_failed` event for Pathlight's triggers.
import { PRODUCTS, CODES, EXPIRED_CODES, cart, money, pathlight } from '/site.js';

const $ = (id) => document.getElementById(id);
const list = $('cart-lines');
const empty = $('cart-empty');
const summary = $('cart-summary');
const totalsEl = $('cart-totals');
const status = $('cart-status');
const couponForm = document.querySelector('form[name=coupon]');
const codeInput = $('coupon-code');
const codeError = $('coupon-error');
const applied = $('coupon-applied');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function renderTotals() {
  const t = cart.totals('US');
  totalsEl.textContent = '';
  const row = (label, value, cls) => {
    totalsEl.append(el('dt', cls ? { class: cls, text: label } : { text: label }), el('dd', cls ? { class: cls, text: value } : { text: value }));
  };
  row('Subtotal', money(t.subtotal));
  if (t.discount) row(`Discount (${t.code})`, `−${money(t.discount)}`);
  row('US delivery', t.shipping ? money(t.shipping) : 'Free');
  row('Total', money(t.total), 'grand');
  const code = cart.coupon();
  applied.hidden = !code;
  applied.textContent = '';
  if (code) {
    const remove = el('button', { type: 'button', class: 'link-button', text: 'Remove' });
    remove.addEventListener('click', () => {
      cart.setCoupon(null);
      status.textContent = `Removed the code ${code}.`;
      renderTotals();
      codeInput.focus();
    });
    const note = t.discount ? `${code}: ${CODES[code].label}. ` : `${code} applies to orders of ${money(CODES[code].minimum)} or more. `;
    applied.append(note, remove);
  }
}

function render() {
  const lines = cart.lines();
  list.textContent = '';
  empty.hidden = lines.length > 0;
  summary.hidden = lines.length === 0;
  lines.forEach((line, i) => {
    const p = PRODUCTS[line.id];
    const amount = el('p', { class: 'amount', text: money(p.price * line.qty) });
    const qty = el('input', { type: 'number', min: '1', max: '10', value: String(line.qty), inputmode: 'numeric' });
    qty.addEventListener('change', () => {
      const n = Math.max(1, Math.min(10, Number.parseInt(qty.value, 10) || 1));
      qty.value = String(n);
      cart.setQty(i, n);
      amount.textContent = money(p.price * n);
      renderTotals();
      status.textContent = `${p.name}: quantity ${n}.`;
    });
    const remove = el('button', { type: 'button', class: 'link-button', text: 'Remove' });
    remove.setAttribute('aria-label', `Remove ${p.name} (${line.finish})`);
    remove.addEventListener('click', () => {
      cart.remove(i);
      render();
      status.textContent = `Removed ${p.name} from your cart.`;
      const next = list.querySelector('li h2 a') ?? empty.querySelector('a');
      next?.focus();
    });
    const img = el('img', { src: p.image, alt: '', width: '84', height: '84' });
    list.append(el('li', { class: 'line' },
      el('div', { class: 'thumb' }, img),
      el('div', {},
        el('h2', {}, el('a', { href: p.url, text: p.name })),
        el('p', { class: 'meta', text: `${line.finish} · ${money(p.price)} each` }),
        el('div', { class: 'controls' }, el('label', {}, 'Quantity', qty), remove)),
      amount));
  });
  if (lines.length) renderTotals();
}

// ---- Discount codes

function showCodeError(message) {
  codeError.textContent = message;
  codeError.hidden = false;
  codeInput.setCustomValidity(message);
  codeInput.setAttribute('aria-invalid', 'true');
}

function clearCodeError() {
  codeError.textContent = '';
  codeError.hidden = true;
  codeInput.setCustomValidity('');
  codeInput.removeAttribute('aria-invalid');
}

codeInput.addEventListener('input', () => {
  if (codeInput.hasAttribute('aria-invalid')) clearCodeError();
});

couponForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const code = codeInput.value.trim();
  clearCodeError();
  if (!code) {
    showCodeError('Enter a discount code.');
    couponForm.reportValidity();
    return;
  }
  const { subtotal } = cart.totals('US');
  let reason = null;
  let message = null;
  if (EXPIRED_CODES[code]) {
    reason = 'expired';
    message = `${code} expired on ${EXPIRED_CODES[code]}.`;
  } else if (!CODES[code]) {
    reason = CODES[code.toUpperCase()] ? 'case' : 'unknown';
    message = reason === 'case'
      ? `We don't recognise “${code}”. Codes are case-sensitive: try ${code.toUpperCase()}.`
      : `We don't recognise “${code}”. Check the spelling; codes are case-sensitive.`;
  } else if (subtotal < CODES[code].minimum) {
    reason = 'minimum';
    message = `${code} applies to orders of ${money(CODES[code].minimum)} or more.`;
  }
  pathlight().then((pl) => {
    if (!pl) return;
    if (reason) pl.track('coupon_failed', { code, reason, total: subtotal / 100 });
    else pl.track('coupon_applied', { code, total: subtotal / 100 });
  });
  if (reason) {
    // The "server" said no: the field is marked invalid with the reason.
    showCodeError(message);
    codeInput.focus();
    return;
  }
  cart.setCoupon(code);
  codeInput.value = '';
  status.textContent = `Applied ${code}: ${CODES[code].label}.`;
  renderTotals();
});

window.addEventListener('storage', (e) => {
  if (e.key === 'demo-cart' || e.key === 'demo-coupon' || e.key === null) render();
});

render();
