// The checkout: an order summary from the cart, and a payment form whose
// errors are real form errors for Pathlight to see:
//
// - checks in the browser (required fields, email, postcode format per
//   country, card number with the Luhn check, expiry, security code) use
//   the constraint-validation API: setCustomValidity, then reportValidity,
//   which fires `invalid` with the message on each field; each field is
//   also marked aria-invalid="true" with its message in aria-describedby;
// - a payment the demo "bank" refuses (the test cards below) marks the
//   card field aria-invalid="true" with the bank's message, as a server
//   error would be shown.
import { PRODUCTS, cart, money, orders, pathlight } from '/site.js';

const $ = (id) => document.getElementById(id);
const form = document.querySelector('form.checkout');
const alertBox = $('form-alert');
const payButton = $('pay');
const FIELDS = ['email', 'fullname', 'address', 'city', 'postcode', 'card', 'expiry', 'cvc'];

const POSTCODES = {
  US: { re: /^\d{5}(-\d{4})?$/, hint: 'US ZIP code: 5 digits, like 94107.', bad: 'Enter a 5-digit ZIP code, like 94107.' },
  CA: { re: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, hint: 'Canadian postal code, like K1A 0B1.', bad: 'Enter a postal code like K1A 0B1.' },
  GB: { re: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, hint: 'UK postcode, like SW1A 1AA.', bad: 'Enter a UK postcode like SW1A 1AA.' },
  DE: { re: /^\d{5}$/, hint: 'German postcode: 5 digits, like 10115.', bad: 'Enter a 5-digit postcode, like 10115.' },
  IL: { re: /^\d{7}$/, hint: 'Israeli postcode: 7 digits, like 6100101.', bad: 'Enter a 7-digit postcode, like 6100101.' },
  TR: { re: /^\d{5}$/, hint: 'Turkish postcode: 5 digits, like 34000.', bad: 'Enter a 5-digit postcode, like 34000.' },
};

/** Test cards the demo's pretend bank refuses (all pass the Luhn check). */
const REFUSED = {
  '4000000000000002': { field: 'card', reason: 'declined', message: 'Your card was declined. Try another card, or ask your bank why.' },
  '4000000000009995': { field: 'card', reason: 'insufficient_funds', message: 'Your card was declined: insufficient funds.' },
  '4000000000000069': { field: 'card', reason: 'expired_card', message: 'Your card was declined: the bank says it has expired.' },
  '4000000000000127': { field: 'cvc', reason: 'incorrect_cvc', message: "Your card's security code is incorrect." },
};

const digits = (v) => v.replace(/[\s-]/g, '');

function luhn(number) {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const value = (name) => form.elements[name].value.trim();
const country = () => form.elements.country.value;
const isAmex = () => /^3[47]/.test(digits(value('card')));

const CHECKS = {
  email(v) {
    if (!v) return 'Enter your email address.';
    return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v) ? '' : 'Enter an email address like name@example.com.';
  },
  fullname: (v) => (v ? '' : 'Enter your full name.'),
  address: (v) => (v ? '' : 'Enter your street address.'),
  city: (v) => (v ? '' : 'Enter your town or city.'),
  postcode(v) {
    if (!v) return 'Enter your postcode.';
    const rule = POSTCODES[country()];
    return rule.re.test(v) ? '' : rule.bad;
  },
  card(v) {
    const d = digits(v);
    if (!d) return 'Enter your card number.';
    if (!/^\d{13,19}$/.test(d)) return 'Card numbers are 13 to 19 digits.';
    return luhn(d) ? '' : "That card number isn't valid. Check it for a typo.";
  },
  expiry(v) {
    if (!v) return 'Enter the expiry date.';
    const m = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(v);
    const month = m ? Number(m[1]) : 0;
    if (!m || month < 1 || month > 12) return 'Enter the expiry date as MM/YY, like 08/28.';
    const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
    const now = new Date();
    const expired = year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1);
    return expired ? 'This card has expired. Check the date or use another card.' : '';
  },
  cvc(v) {
    const n = isAmex() ? 4 : 3;
    if (!v) return 'Enter the security code.';
    if (new RegExp(`^\\d{${n}}$`).test(v)) return '';
    return isAmex() ? 'Enter the 4-digit code from the front of your card.' : 'Enter the 3-digit code from the back of your card.';
  },
};

function setError(name, message) {
  const input = form.elements[name];
  const error = $(`${name}-error`);
  error.textContent = message;
  error.hidden = false;
  input.setCustomValidity(message);
  if (input.getAttribute('aria-invalid') !== 'true') input.setAttribute('aria-invalid', 'true');
}

function clearError(name) {
  const input = form.elements[name];
  const error = $(`${name}-error`);
  error.textContent = '';
  error.hidden = true;
  input.setCustomValidity('');
  input.removeAttribute('aria-invalid');
}

/** Check one field; returns whether it is valid. */
function check(name) {
  const message = CHECKS[name](value(name));
  if (message) setError(name, message);
  else clearError(name);
  return !message;
}

function showAlert(...content) {
  alertBox.textContent = '';
  alertBox.append(...content);
  alertBox.hidden = false;
}

// ---- The order summary

function renderSummary() {
  const t = cart.totals(country());
  const list = $('summary-lines');
  list.textContent = '';
  for (const line of t.lines) {
    const p = PRODUCTS[line.id];
    const li = document.createElement('li');
    const thumb = document.createElement('div');
    thumb.className = 'thumb';
    const img = document.createElement('img');
    Object.assign(img, { src: p.image, alt: '', width: 52, height: 52 });
    thumb.append(img);
    const name = document.createElement('span');
    name.textContent = `${p.name}${line.qty > 1 ? ` × ${line.qty}` : ''}`;
    const small = document.createElement('small');
    small.textContent = line.finish;
    name.append(small);
    const amount = document.createElement('span');
    amount.textContent = money(p.price * line.qty);
    li.append(thumb, name, amount);
    list.append(li);
  }
  $('summary-empty').hidden = t.lines.length > 0;
  const totals = $('summary-totals');
  totals.textContent = '';
  totals.hidden = !t.lines.length;
  const row = (label, text, cls) => {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = label;
    dd.textContent = text;
    if (cls) dt.className = dd.className = cls;
    totals.append(dt, dd);
  };
  if (t.lines.length) {
    row('Subtotal', money(t.subtotal));
    if (t.discount) row(`Discount (${t.code})`, `−${money(t.discount)}`);
    row(country() === 'US' ? 'US delivery' : 'International delivery', t.shipping ? money(t.shipping) : 'Free');
    row('Total', money(t.total), 'grand');
  }
  if (!payButton.disabled) payButton.textContent = t.lines.length ? `Pay ${money(t.total)}` : 'Pay';
  return t;
}

// ---- Events

form.elements.card.addEventListener('input', (e) => {
  // Group the digits in fours while typing at the end of the field.
  const input = e.target;
  if (input.selectionStart !== input.value.length) return;
  const grouped = input.value.replace(/\D/g, '').slice(0, 19).replace(/(\d{4})(?=\d)/g, '$1 ');
  if (grouped !== input.value) input.value = grouped;
});

for (const name of FIELDS) {
  const input = form.elements[name];
  // Typing in a field marked invalid clears the mark until it is checked again.
  input.addEventListener('input', () => {
    if (input.getAttribute('aria-invalid') === 'true') clearError(name);
  });
  // After a first attempt to pay, a field is checked again when it changes.
  input.addEventListener('change', () => {
    if (form.dataset.tried === 'true' && input.value.trim()) check(name);
  });
}

form.elements.country.addEventListener('change', () => {
  $('postcode-hint').textContent = POSTCODES[country()].hint;
  if (form.dataset.tried === 'true' && value('postcode')) check('postcode');
  renderSummary();
});

let paying = false;

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (paying) return;
  alertBox.hidden = true;
  form.dataset.tried = 'true';
  const bad = FIELDS.filter((name) => !check(name));
  if (bad.length) {
    showAlert(bad.length === 1 ? 'Check the highlighted field.' : `Check the ${bad.length} highlighted fields.`);
    // Fires `invalid` on each field with its message, and focuses the first.
    form.reportValidity();
    return;
  }
  const t = renderSummary();
  if (!t.lines.length) {
    const link = document.createElement('a');
    link.href = '/products/';
    link.textContent = 'Browse lamps';
    showAlert('Your cart is empty, so there is nothing to pay for yet. ', link);
    return;
  }
  pay(t);
});

function pay(t) {
  paying = true;
  payButton.disabled = true;
  payButton.textContent = 'Processing…';
  setTimeout(() => {
    paying = false;
    payButton.disabled = false;
    renderSummary();
    const refused = REFUSED[digits(value('card'))];
    if (refused) {
      setError(refused.field, refused.message);
      showAlert(`Payment not taken. ${refused.message}`);
      form.elements[refused.field].focus();
      pathlight().then((pl) => pl?.track('payment_failed', { reason: refused.reason, total: t.total / 100 }));
      return;
    }
    done(t);
  }, 900);
}

function done(t) {
  const id = `LC-${Math.floor(10500 + Math.random() * 89000)}`;
  orders.add({
    id,
    placedAt: Date.now(),
    lines: t.lines,
    total: t.total,
    shipping: t.shipping,
    country: country(),
    status: 'processing',
  });
  cart.clear();
  pathlight().then((pl) => pl?.track('order_completed', { total: t.total / 100, items: t.lines.length }));
  form.hidden = true;
  alertBox.hidden = true;
  $('confirm-text').textContent = `Order ${id} for ${money(t.total)} is confirmed. We'll email a receipt now and a tracking link when your lamp ships, usually the next business day.`;
  const actions = $('confirm-actions');
  actions.textContent = '';
  const view = document.createElement('a');
  view.className = 'button';
  view.href = `/account/orders/${id}`;
  view.textContent = 'View your order';
  const more = document.createElement('a');
  more.className = 'button secondary';
  more.href = '/products/';
  more.textContent = 'Keep shopping';
  actions.append(view, more);
  const confirmation = $('confirmation');
  confirmation.hidden = false;
  confirmation.focus();
  renderSummary();
}

window.addEventListener('storage', (e) => {
  if (e.key === 'demo-cart' || e.key === null) renderSummary();
});

renderSummary();
