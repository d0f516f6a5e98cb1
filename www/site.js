// Lumen & Co., the demo store's own code (not the SDK), shared by every
// store page: the catalogue, the cart in localStorage, the header's cart
// count and help-language switch, and `pathlight()`, which resolves to the
// Pathlight instance once /lang.js has loaded it.
//
// Everything here copes with storage that is missing, full or throwing.

export const PRODUCTS = {
  arc: {
    id: 'arc',
    name: 'Arc floor lamp',
    price: 18900,
    url: '/products/arc',
    image: '/img/arc.svg',
    finishes: ['Brushed brass', 'Matte black'],
  },
  dome: {
    id: 'dome',
    name: 'Dome desk lamp',
    price: 7900,
    url: '/products/dome',
    image: '/img/dome.svg',
    finishes: ['Sage', 'Terracotta', 'Chalk'],
  },
};

/** Discount codes: case-sensitive, as the help answer says. */
export const CODES = {
  WELCOME10: { percent: 10, minimum: 5000, label: '10% off your first order' },
  LIGHT15: { percent: 15, minimum: 15000, label: '15% off orders over $150' },
};
export const EXPIRED_CODES = { SUMMER24: '31 August 2024', BFRIDAY25: '1 December 2025' };

export const FREE_SHIPPING_FROM = 5000;

export const store = {
  get(key, fallback) {
    try {
      const v = localStorage.getItem(key);
      return v === null ? fallback : JSON.parse(v);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to remove
    }
  },
};

/** Cents as dollars: 18900 → "$189.00". */
export function money(cents) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

// ---- Cart: [{ id, finish, qty }] in localStorage "demo-cart".

const CART = 'demo-cart';
const COUPON = 'demo-coupon';

function clean(lines) {
  if (!Array.isArray(lines)) return [];
  return lines
    .filter((l) => l && PRODUCTS[l.id] && Number.isInteger(l.qty) && l.qty > 0)
    .map((l) => ({ id: l.id, finish: PRODUCTS[l.id].finishes.includes(l.finish) ? l.finish : PRODUCTS[l.id].finishes[0], qty: Math.min(l.qty, 10) }));
}

export const cart = {
  lines() {
    return clean(store.get(CART, []));
  },
  save(lines) {
    const ok = store.set(CART, clean(lines));
    updateCount();
    return ok;
  },
  add(id, finish, qty = 1) {
    const lines = cart.lines();
    const same = lines.find((l) => l.id === id && l.finish === finish);
    if (same) same.qty = Math.min(10, same.qty + qty);
    else lines.push({ id, finish, qty });
    return cart.save(lines);
  },
  setQty(index, qty) {
    const lines = cart.lines();
    if (!lines[index]) return;
    lines[index].qty = Math.max(1, Math.min(10, qty));
    cart.save(lines);
  },
  remove(index) {
    const lines = cart.lines();
    lines.splice(index, 1);
    cart.save(lines);
  },
  clear() {
    store.remove(CART);
    store.remove(COUPON);
    updateCount();
  },
  count() {
    return cart.lines().reduce((n, l) => n + l.qty, 0);
  },
  coupon() {
    const code = store.get(COUPON, null);
    return typeof code === 'string' && CODES[code] ? code : null;
  },
  setCoupon(code) {
    if (code) store.set(COUPON, code);
    else store.remove(COUPON);
  },
  /** Subtotal, discount, shipping and total in cents, for `country`. */
  totals(country = 'US') {
    const lines = cart.lines();
    const subtotal = lines.reduce((s, l) => s + PRODUCTS[l.id].price * l.qty, 0);
    const code = cart.coupon();
    const rule = code && CODES[code];
    const discount = rule && subtotal >= rule.minimum ? Math.round((subtotal * rule.percent) / 100) : 0;
    let shipping = 0;
    if (lines.length) {
      if (country !== 'US') shipping = 2900;
      else if (subtotal - discount < FREE_SHIPPING_FROM) shipping = 695;
    }
    return { lines, subtotal, code: discount ? code : null, discount, shipping, total: subtotal - discount + shipping };
  },
};

// ---- Orders placed in this browser, shown in the account pages.

export const orders = {
  placed() {
    const list = store.get('demo-orders', []);
    return Array.isArray(list) ? list.filter((o) => o && typeof o.id === 'string') : [];
  },
  add(order) {
    const list = orders.placed();
    list.unshift(order);
    return store.set('demo-orders', list.slice(0, 20));
  },
};

// ---- Pathlight, loaded by /lang.js with the chosen help language.

/** Resolves to the Pathlight instance, or null when it did not start. */
export function pathlight() {
  if (window.Pathlight) return window.Pathlight.ready;
  const loader = document.getElementById('pathlight-loader');
  if (!loader) return Promise.resolve(null);
  return new Promise((resolve) => {
    loader.addEventListener('load', () => resolve(window.Pathlight ? window.Pathlight.ready : null), { once: true });
    loader.addEventListener('error', () => resolve(null), { once: true });
  });
}

/** Open one help answer in the widget. */
export function showAnswer(id) {
  return pathlight().then((pl) => {
    if (pl) pl.showAnswer(id);
    return Boolean(pl);
  });
}

// ---- The header: cart count and the help-language switch.

function updateCount() {
  const n = cart.count();
  for (const link of document.querySelectorAll('a.cart-link')) {
    const badge = link.querySelector('[data-cart-count]');
    if (badge) {
      badge.textContent = String(n);
      badge.hidden = n === 0;
    }
    if (n) link.setAttribute('aria-label', `Cart, ${n} ${n === 1 ? 'item' : 'items'}`);
    else link.removeAttribute('aria-label');
  }
}

function languageSwitch() {
  const select = document.getElementById('lang');
  if (!select) return;
  let chosen = null;
  try {
    chosen = localStorage.getItem('demo-lang');
  } catch {
    // storage is unavailable: the browser's language decides
  }
  const browser = (navigator.language || 'en').slice(0, 2).toLowerCase();
  const current = ['en', 'he', 'tr'].includes(chosen) ? chosen : ['he', 'tr'].includes(browser) ? browser : 'en';
  select.value = current;
  select.addEventListener('change', () => {
    // A plain string, as /lang.js reads it before anything else runs.
    try {
      localStorage.setItem('demo-lang', select.value);
    } catch {
      return; // storage is unavailable: keep the page as it is
    }
    location.reload();
  });
}

/** Keep the badge right when another tab changes the cart. */
window.addEventListener('storage', (e) => {
  if (e.key === CART || e.key === null) updateCount();
});

updateCount();
languageSwitch();
