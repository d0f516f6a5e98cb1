// The account area, a small single-page app: sign in, orders, one order,
// returns and a password reset, at /account/… addresses changed with
// history.pushState (the server answers every /account/ path with this
// page). Links inside are intercepted; back and forward re-render.
// Pathlight records each route change as a page view by itself.
//
// Forms report errors the way the checkout does: browser checks through
// setCustomValidity + reportValidity and aria-invalid with the message;
// answers from the pretend server (a wrong password, a return outside the
// 30-day window) through aria-invalid with the message.
import { PRODUCTS, money, orders, pathlight, showAnswer, store } from '/site.js';

const app = document.getElementById('account-app');
const DAY = 86_400_000;
const PASSWORD = 'lumen-demo';
const WINDOW_DAYS = 30;

// ---- Data

function account() {
  const a = store.get('demo-account', null);
  return a && typeof a.email === 'string' ? a : null;
}

/** Three sample orders, dated relative to today, then the ones placed here. */
function allOrders() {
  const now = Date.now();
  const day = (n) => Math.floor((now + n * DAY) / DAY) * DAY + 15 * 3_600_000;
  const samples = [
    { id: 'LC-10488', placedAt: day(-3), shippedAt: day(-2), status: 'shipped', lines: [{ id: 'dome', finish: 'Sage', qty: 1 }],
      total: 7900, shipping: 0, tracking: '1Z 999 AA1 01 2345 6784', eta: day(1) },
    { id: 'LC-10391', placedAt: day(-16), shippedAt: day(-15), deliveredAt: day(-12), status: 'delivered',
      lines: [{ id: 'arc', finish: 'Brushed brass', qty: 1 }], total: 18900, shipping: 0, tracking: '1Z 999 AA1 01 2345 1190' },
    { id: 'LC-10207', placedAt: day(-62), shippedAt: day(-61), deliveredAt: day(-58), status: 'delivered',
      lines: [{ id: 'dome', finish: 'Terracotta', qty: 2 }], total: 15800, shipping: 0, tracking: '1Z 999 AA1 01 2345 0457' },
  ];
  const placed = orders.placed().filter((o) => Array.isArray(o.lines)).map((o) => ({ ...o, status: 'processing' }));
  return [...placed, ...samples];
}

const findOrder = (id) => allOrders().find((o) => o.id === id);

function returns() {
  const list = store.get('demo-returns', []);
  return Array.isArray(list) ? list : [];
}

// ---- DOM helpers (text only: nothing here is parsed as HTML)

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'on') for (const [type, fn] of Object.entries(v)) e.addEventListener(type, fn);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

const date = (ms) => new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }).format(ms);
const itemsText = (o) => o.lines.map((l) => `${PRODUCTS[l.id]?.name ?? l.id}${l.qty > 1 ? ` × ${l.qty}` : ''}`).join(', ');
const STATUS = { processing: 'Processing', shipped: 'On its way', delivered: 'Delivered' };
const pill = (o) => h('span', { class: `pill ${o.status}`, text: STATUS[o.status] ?? o.status });

/** A form field with its label, hint and error, wired for aria-invalid. */
function field(id, label, control, hint) {
  control.id = id;
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  control.setAttribute('aria-errormessage', `${id}-error`);
  return h('div', { class: 'field' },
    h('label', { for: id, text: label }),
    hint ? h('p', { class: 'hint', id: `${id}-hint`, text: hint }) : null,
    control,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
}

function setError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  error.textContent = message;
  error.hidden = false;
  control.setCustomValidity(message);
  if (control.getAttribute('aria-invalid') !== 'true') control.setAttribute('aria-invalid', 'true');
}

function clearError(control) {
  const error = document.getElementById(`${control.id}-error`);
  error.textContent = '';
  error.hidden = true;
  control.setCustomValidity('');
  control.removeAttribute('aria-invalid');
}

/** Clear a field's error as soon as the visitor changes it. */
function clearOnEdit(form) {
  for (const c of form.querySelectorAll('input, select, textarea')) {
    const clear = () => c.getAttribute('aria-invalid') === 'true' && clearError(c);
    c.addEventListener('input', clear);
    c.addEventListener('change', clear);
  }
}

const wait = (ms) => new Promise((ok) => setTimeout(ok, ms));

// ---- Views. Each returns { title, node }.

function signIn(afterPath) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const alert = h('div', { class: 'alert error', role: 'alert', hidden: true });
  const submit = h('button', { class: 'button', type: 'submit', text: 'Sign in' });
  const form = h('form', { name: 'sign-in', class: 'sign-in', novalidate: true },
    field('si-email', 'Email', email),
    field('si-password', 'Password', password),
    h('div', { class: 'actions' }, submit, h('a', { href: '/account/reset', text: 'Forgot your password?' })));
  clearOnEdit(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    alert.hidden = true;
    const problems = [];
    const v = email.value.trim();
    if (!v) problems.push([email, 'Enter your email address.']);
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v)) problems.push([email, 'Enter an email address like name@example.com.']);
    else clearError(email);
    if (!password.value) problems.push([password, 'Enter your password.']);
    else clearError(password);
    if (problems.length) {
      for (const [c, m] of problems) setError(c, m);
      form.reportValidity();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    await wait(500);
    submit.disabled = false;
    submit.textContent = 'Sign in';
    if (password.value !== PASSWORD) {
      setError(password, "That email and password don't match our records. Check for typos, or reset your password.");
      password.focus();
      return;
    }
    const local = v.split('@')[0].split(/[._-]+/).filter(Boolean);
    const name = local.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') || 'there';
    if (!store.set('demo-account', { email: v, name })) {
      alert.textContent = 'Your browser would not let us keep you signed in (storage is blocked).';
      alert.hidden = false;
      return;
    }
    const list = allOrders();
    pathlight().then((pl) => pl?.identify({ name, email: v, signedIn: true, orders: list.length, customerSince: 2023 }));
    navigate(afterPath);
  });
  return {
    title: 'Sign in',
    node: h('div', { class: 'sign-in' },
      h('h1', { tabindex: '-1', text: 'Sign in' }),
      h('p', { class: 'muted', text: 'See your orders, track a parcel and start a return.' }),
      alert,
      form,
      h('p', { class: 'note' }, 'Demo account: any email address with the password ', h('code', { text: PASSWORD }), '.')),
  };
}

function reset() {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const done = h('div', { class: 'alert ok', role: 'status', hidden: true });
  const form = h('form', { name: 'password-reset', class: 'sign-in', novalidate: true },
    field('reset-email', 'Email', email, 'We will email you a link to choose a new password.'),
    h('button', { class: 'button', type: 'submit', text: 'Send reset link' }));
  clearOnEdit(form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = email.value.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v)) {
      setError(email, v ? 'Enter an email address like name@example.com.' : 'Enter your email address.');
      form.reportValidity();
      return;
    }
    clearError(email);
    form.hidden = true;
    done.textContent = 'If there is an account for that address, a reset link is on its way. It works for one hour; check your spam folder if it has not arrived in 5 minutes.';
    done.hidden = false;
  });
  return {
    title: 'Reset your password',
    node: h('div', { class: 'sign-in' },
      h('h1', { tabindex: '-1', text: 'Reset your password' }),
      form, done,
      h('p', {}, h('a', { href: '/account/', text: 'Back to sign in' }))),
  };
}

function overview(me) {
  const list = allOrders();
  const latest = list[0];
  return {
    title: 'Your account',
    node: h('div', {},
      h('h1', { tabindex: '-1', text: `Hello, ${me.name}` }),
      h('p', { class: 'muted', text: `Signed in as ${me.email}.` }),
      h('div', { class: 'contact-card' },
        h('div', { class: 'panel' },
          h('h2', { text: 'Latest order' }),
          h('p', {}, h('a', { href: `/account/orders/${latest.id}`, text: latest.id }), ' ', pill(latest)),
          h('p', { class: 'muted', text: itemsText(latest) })),
        h('div', { class: 'panel' },
          h('h2', { text: 'Returns' }),
          h('p', { class: 'muted', text: `You have ${WINDOW_DAYS} days from delivery to return a lamp; US return labels are free.` }),
          h('p', {}, h('a', { href: '/account/returns', text: 'Start a return' }))))),
  };
}

function orderList() {
  const list = allOrders();
  return {
    title: 'Your orders',
    node: h('div', {},
      h('h1', { tabindex: '-1', text: 'Your orders' }),
      h('ul', { class: 'orders' }, list.map((o) => h('li', {},
        h('div', {},
          h('a', { href: `/account/orders/${o.id}`, text: `Order ${o.id}` }),
          h('p', { class: 'muted', style: null, text: `${date(o.placedAt)} · ${itemsText(o)} · ${money(o.total)}` })),
        pill(o))))),
  };
}

function orderDetail(id) {
  const o = findOrder(id);
  if (!o) return notFound(`We couldn't find order ${id}. It may belong to another account.`);
  const steps = [h('li', {}, h('strong', { text: 'Ordered' }), ` ${date(o.placedAt)}`)];
  if (o.shippedAt) steps.push(h('li', {}, h('strong', { text: 'Shipped' }), ` ${date(o.shippedAt)} with UPS, tracking ${o.tracking}`));
  if (o.deliveredAt) steps.push(h('li', {}, h('strong', { text: 'Delivered' }), ` ${date(o.deliveredAt)}`));
  else if (o.eta) steps.push(h('li', {}, h('strong', { text: 'Expected' }), ` ${date(o.eta)}`));
  else steps.push(h('li', {}, h('strong', { text: 'Next' }), ' It leaves our workshop within one business day.'));
  const actions = [];
  if (o.status === 'delivered') actions.push(h('a', { class: 'button', href: `/account/returns?order=${o.id}`, text: 'Start a return' }));
  const questions = [
    ['order-tracking', 'Where is my order?'], ['change-order', 'Can I change or cancel it?'],
    ['damaged-on-arrival', 'It arrived damaged'], ['invoices-vat', 'I need an invoice'],
  ];
  return {
    title: `Order ${o.id}`,
    node: h('div', {},
      h('p', {}, h('a', { href: '/account/orders', text: '← All orders' })),
      h('h1', { tabindex: '-1', text: `Order ${o.id}` }),
      h('p', {}, pill(o), ` Placed ${date(o.placedAt)}`),
      h('div', { class: 'two-col' },
        h('div', {},
          h('ol', { class: 'timeline', 'aria-label': 'Progress' }, steps),
          h('ul', { class: 'lines' }, o.lines.map((l) => {
            const p = PRODUCTS[l.id];
            return h('li', { class: 'line' },
              h('div', { class: 'thumb' }, h('img', { src: p.image, alt: '', width: '84', height: '84' })),
              h('div', {}, h('h2', { text: p.name }), h('p', { class: 'meta', text: `${l.finish} · quantity ${l.qty}` })),
              h('p', { class: 'amount', text: money(p.price * l.qty) }));
          })),
          h('dl', { class: 'totals' },
            h('dt', { text: 'Delivery' }), h('dd', { text: o.shipping ? money(o.shipping) : 'Free' }),
            h('dt', { class: 'grand', text: 'Total' }), h('dd', { class: 'grand', text: money(o.total) })),
          actions.length ? h('div', { class: 'actions' }, actions) : null),
        h('aside', { class: 'panel', 'aria-labelledby': 'order-q' },
          h('h2', { id: 'order-q', text: 'Questions about this order?' }),
          h('ul', { class: 'topics-list' }, questions.map(([a, q]) =>
            h('li', {}, h('button', { type: 'button', class: 'link-button', text: q, on: { click: () => showAnswer(a) } }))))))),
  };
}

function returnsView(url) {
  const list = allOrders();
  const mine = returns();
  const order = h('select', { name: 'order', required: true },
    h('option', { value: '', text: 'Choose an order' }),
    list.map((o) => h('option', { value: o.id, text: `${o.id} · ${itemsText(o)} · ${o.deliveredAt ? `delivered ${date(o.deliveredAt)}` : STATUS[o.status]}` })));
  order.value = list.some((o) => o.id === url.searchParams.get('order')) ? url.searchParams.get('order') : '';
  const reason = h('select', { name: 'reason', required: true },
    ['', "Changed my mind", "Doesn't suit my space", 'Not as described', 'Arrived damaged', 'Stopped working']
      .map((r) => h('option', { value: r, text: r || 'Choose a reason' })));
  const details = h('textarea', { name: 'details', rows: '4' });
  const status = h('div', { class: 'alert ok', role: 'status', hidden: true });
  const submit = h('button', { class: 'button', type: 'submit', text: 'Get a return label' });
  const form = h('form', { name: 'return', novalidate: true, class: 'panel' },
    h('h2', { text: 'Start a return' }),
    field('ret-order', 'Order', order),
    field('ret-reason', 'Reason', reason),
    field('ret-details', 'Details', details, 'Needed if it arrived damaged or stopped working, so we send the right part.'),
    submit);
  clearOnEdit(form);
  const requested = h('ul', { class: 'orders' }, mine.map((r) => h('li', {},
    h('div', {}, h('strong', { text: `${r.rma} · order ${r.order}` }), h('p', { class: 'muted', text: `${r.reason} · started ${date(r.at)}` })),
    h('span', { class: 'pill processing', text: 'Label sent' }))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.hidden = true;
    const problems = [];
    if (!order.value) problems.push([order, 'Choose the order you want to return.']);
    else clearError(order);
    if (!reason.value) problems.push([reason, 'Choose a reason.']);
    else clearError(reason);
    if (/damaged|Stopped/.test(reason.value) && !details.value.trim()) problems.push([details, 'Tell us what is damaged or not working, so we can send the right part.']);
    else clearError(details);
    if (problems.length) {
      for (const [c, m] of problems) setError(c, m);
      form.reportValidity();
      return;
    }
    submit.disabled = true;
    await wait(400);
    submit.disabled = false;
    // The pretend server's rules.
    const o = findOrder(order.value);
    const faulty = /damaged|Stopped/.test(reason.value);
    let refusal = null;
    let why = null;
    if (!o.deliveredAt) {
      why = 'not_delivered';
      refusal = `Order ${o.id} hasn't been delivered yet. To stop it, email us or refuse the parcel at the door.`;
    } else if (returns().some((r) => r.order === o.id)) {
      why = 'already_returned';
      refusal = `You've already started a return for order ${o.id}. Your label is in your email.`;
    } else if (!faulty && Date.now() - o.deliveredAt > WINDOW_DAYS * DAY) {
      why = 'outside_window';
      const days = Math.floor((Date.now() - o.deliveredAt) / DAY);
      refusal = `Order ${o.id} was delivered ${days} days ago, after our ${WINDOW_DAYS}-day return window. A faulty lamp is still covered by the 2-year warranty.`;
    }
    if (refusal) {
      setError(order, refusal);
      order.focus();
      pathlight().then((pl) => pl?.track('return_refused', { reason: why }));
      return;
    }
    const rma = `RMA-${Math.floor(20000 + Math.random() * 79000)}`;
    const next = [{ rma, order: o.id, reason: reason.value, at: Date.now() }, ...returns()];
    store.set('demo-returns', next.slice(0, 20));
    pathlight().then((pl) => pl?.track('return_started', { reason: reason.value, faulty }));
    status.textContent = faulty
      ? `${rma}: we're sorry it let you down. A replacement part or lamp ships within one business day; no need to send anything back until we ask.`
      : `${rma}: a prepaid UPS label is on its way to your email. Your refund follows within 5 business days of the lamp reaching us.`;
    status.hidden = false;
    form.reset();
    requested.prepend(h('li', {},
      h('div', {}, h('strong', { text: `${rma} · order ${o.id}` }), h('p', { class: 'muted', text: `${reason.value || 'Return'} · started today` })),
      h('span', { class: 'pill processing', text: 'Label sent' })));
  });
  return {
    title: 'Returns',
    node: h('div', {},
      h('h1', { tabindex: '-1', text: 'Returns' }),
      h('p', { class: 'muted' }, `Return any lamp within ${WINDOW_DAYS} days of delivery. `, h('a', { href: '/returns', text: 'Our returns policy' })),
      status,
      form,
      mine.length ? h('h2', { class: 'section', text: 'Your returns' }) : null,
      requested),
  };
}

function notFound(message = "There's no account page at this address.") {
  return {
    title: 'Page not found',
    node: h('div', {},
      h('h1', { tabindex: '-1', text: 'Page not found' }),
      h('p', { text: message }),
      h('p', {}, h('a', { href: '/account/orders', text: 'Your orders' }))),
  };
}

// ---- Router

const NAV = [['/account/', 'Overview'], ['/account/orders', 'Orders'], ['/account/returns', 'Returns']];

function view(url) {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/account/reset') return { view: reset(), nav: false };
  const me = account();
  const known = path === '/account' || path === '/account/orders' || path === '/account/returns' || /^\/account\/orders\/[^/]+$/.test(path);
  if (!known) return { view: notFound(), nav: Boolean(me) };
  if (!me) return { view: signIn(url.pathname + url.search), nav: false };
  if (path === '/account') return { view: overview(me), nav: true };
  if (path === '/account/orders') return { view: orderList(), nav: true };
  if (path === '/account/returns') return { view: returnsView(url), nav: true };
  return { view: orderDetail(decodeURIComponent(path.slice('/account/orders/'.length))), nav: true };
}

function accountNav(url) {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const signOut = h('button', { type: 'button', class: 'link-button', text: 'Sign out', on: { click: () => {
    store.remove('demo-account');
    pathlight().then((pl) => pl?.identify({ signedIn: false }));
    navigate('/account/');
  } } });
  return h('nav', { class: 'account-nav', 'aria-label': 'Your account' },
    h('ul', {},
      NAV.map(([href, text]) => {
        const here = href.replace(/\/$/, '') === path || (href === '/account/orders' && path.startsWith('/account/orders/'));
        return h('li', {}, h('a', { href, 'aria-current': here ? 'page' : null, text }));
      }),
      h('li', {}, signOut)));
}

/**
 * Show the view for `url`. When `push`, the address changes after the view
 * (and so the title) is ready, so the page view Pathlight records carries
 * the new page's title.
 */
function show(url, { focus = false, push = false } = {}) {
  const { view: v, nav } = view(url);
  document.title = `${v.title} · Lumen & Co.`;
  if (push) history.pushState({}, '', url.pathname + url.search);
  app.textContent = '';
  if (nav) app.append(h('div', { class: 'account-layout' }, accountNav(url), h('div', {}, v.node)));
  else app.append(v.node);
  if (focus) app.querySelector('h1')?.focus();
}

const render = ({ focus = false } = {}) => show(new URL(location.href), { focus });

function navigate(to) {
  const url = new URL(to, location.href);
  show(url, { focus: true, push: url.pathname + url.search !== location.pathname + location.search });
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest?.('a[href]');
  if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !/^\/account(\/|$)/.test(url.pathname)) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render({ focus: true }));

render();
