// Pathlight script-tag entry (a classic script, so document.currentScript works):
//
//   <script src="/pathlight/auto.js" data-config="/pathlight/config.json"
//           data-answers="/pathlight/answers.json" data-locale="he" async></script>
//
// data-config and data-answers take a URL or inline JSON. data-locale is
// optional: the `locale` init option (`he`, `tr-TR`), which picks the
// widget's language and comes first among the visitor's languages; without
// it the browser's languages decide. A page that chooses the locale in
// script can create this tag itself, attributes set before inserting it.
//
// Strict CSP: give this tag the page's nonce (`nonce="…"`); it is passed on
// as the `nonce` init option for the styles Pathlight may need to add.
//
// It defines one global, window.Pathlight = { ready }, where `ready`
// resolves to the running instance, or to null when Pathlight could not
// start (the reason is logged); it never rejects, so nothing reaches the
// page as an unhandled rejection. When it cannot start (no WebAssembly, a
// CSP without 'wasm-unsafe-eval', a file that did not load), the config's
// `handoff.fallback` links (help page, email, phone) are shown instead, in
// a small box built with plain DOM calls: the visitor can still get help.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.Pathlight) return;
  var base = script.src || document.baseURI;
  var locale = (script.getAttribute('data-locale') || '').trim();
  // The property, not the attribute: browsers empty the nonce attribute once
  // the page is parsed, so that CSS selectors cannot read it.
  var nonce = script.nonce || '';

  function read(value, what) {
    if (!value) return Promise.resolve(undefined);
    if (/^\s*[{[]/.test(value)) return Promise.resolve(value);
    return fetch(new URL(value, document.baseURI), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('Pathlight: could not load ' + what + ' from ' + value + ' (HTTP ' + r.status + ')');
      return r.text();
    });
  }

  var config = read(script.getAttribute('data-config'), 'data-config');
  var ready = Promise.all([
    import(new URL('./pathlight.js', base).href),
    config,
    read(script.getAttribute('data-answers'), 'data-answers'),
  ])
    .then(function (parts) {
      var options = { config: parts[1], answers: parts[2] };
      if (locale) options.locale = locale;
      if (nonce) options.nonce = nonce;
      return parts[0].Pathlight.init(options);
    })
    .catch(function (err) {
      return config
        .then(showFallback, function () {
          return false;
        })
        .then(function (shown) {
          if (err && err.code === 'wasm-blocked-by-csp') {
            // Expected on such a page, and the page works: one warning.
            console.warn(err.message + (shown ? ' Until then visitors get the help and contact links of handoff.fallback.' : ''));
          } else {
            console.error('Pathlight did not start:', err);
          }
          return null;
        });
    });

  window.Pathlight = Object.freeze({ ready: ready });

  // ---- The fallback: the config's handoff.fallback as plain links.

  var FALLBACK_CSS =
    ':host{all:initial!important;display:block!important;position:fixed!important;' +
    'inset-block-end:20px!important;inset-inline-end:20px!important;z-index:2147483000!important;' +
    'visibility:visible!important;opacity:1!important}' +
    ':host([data-position=left]){inset-inline-end:auto!important;inset-inline-start:20px!important}' +
    'nav{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;' +
    'background:#fff;border:1px solid #d0d7de;border-radius:14px;padding:10px 14px;' +
    'box-shadow:0 4px 14px rgb(0 0 0/.2);max-width:min(320px,calc(100vw - 40px))}' +
    'p{margin:0 0 4px;font-weight:600}ul{list-style:none;margin:0;padding:0}' +
    'a{display:inline-block;min-height:24px;line-height:24px;color:#0b57d0;' +
    'text-underline-offset:2px;overflow-wrap:anywhere}' +
    'a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px;border-radius:2px}' +
    '@media (prefers-color-scheme:dark){nav{background:#1c2128;color:#e6edf3;border-color:#444c56}' +
    'a{color:#8ab4f8}a:focus-visible{outline-color:#8ab4f8}}';

  function text(value, max) {
    return typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : null;
  }

  // The config's handoff.fallback as links, by the same rules as the
  // config's validation (which cannot run here): an http(s), mailto: or
  // tel: address or a path on this site; an address with one @ and a
  // dotted domain; a phone number of digits, +, spaces, dashes, dots and
  // parentheses.
  function fallbackLinks(json) {
    var doc = null;
    try {
      doc = JSON.parse(json);
    } catch (e) {
      // not JSON: no links
    }
    var fb = doc && typeof doc === 'object' && doc.handoff && doc.handoff.fallback;
    var links = [];
    if (!fb || typeof fb !== 'object') return { links: links };
    var url = text(fb.url, 2048);
    if (url && (/^(https?:\/\/|mailto:|tel:)/i.test(url) || /^\/(?![\/\\])/.test(url))) {
      links.push({ href: url, label: 'Help and contact' });
    }
    var email = text(fb.email, 254);
    if (email && /^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$/.test(email)) {
      links.push({ href: 'mailto:' + email, label: 'Email ' + email });
    }
    var phone = text(fb.phone, 32);
    if (phone && /^\+?[\d .()-]+$/.test(phone) && phone.replace(/\D/g, '').length >= 3) {
      links.push({ href: 'tel:' + phone.replace(/[^\d+]/g, ''), label: 'Call ' + phone });
    }
    return { links: links, left: Boolean(doc.theme && doc.theme.position === 'left') };
  }

  function style(root) {
    try {
      if ('adoptedStyleSheets' in root) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(FALLBACK_CSS);
        root.adoptedStyleSheets = [sheet];
        return;
      }
    } catch (e) {
      // no constructable stylesheets here: a <style> element below
    }
    var s = document.createElement('style');
    if (nonce) s.nonce = nonce;
    s.textContent = FALLBACK_CSS;
    root.appendChild(s);
  }

  // Resolves to whether the links are shown (once the page has a <body>).
  function showFallback(json) {
    var found = fallbackLinks(json);
    if (!found.links.length) return false;
    return new Promise(function (resolve) {
      function mount() {
        try {
          var host = document.createElement('pathlight-fallback');
          if (found.left) host.setAttribute('data-position', 'left');
          var root = host.attachShadow({ mode: 'open' });
          style(root);
          var nav = document.createElement('nav');
          nav.setAttribute('aria-labelledby', 'pl-fallback-title');
          var title = document.createElement('p');
          title.id = 'pl-fallback-title';
          title.textContent = 'Need help?';
          var list = document.createElement('ul');
          found.links.forEach(function (link) {
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = link.href;
            a.textContent = link.label;
            li.appendChild(a);
            list.appendChild(li);
          });
          nav.appendChild(title);
          nav.appendChild(list);
          root.appendChild(nav);
          document.body.appendChild(host);
          resolve(true);
        } catch (e) {
          resolve(false);
        }
      }
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount, { once: true });
    });
  }
})();
