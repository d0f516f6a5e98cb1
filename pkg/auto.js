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
// It defines one global, window.Pathlight = { ready }, where `ready`
// resolves to the running instance, or to null when Pathlight could not
// start (the reason is logged); it never rejects, so nothing reaches the
// page as an unhandled rejection.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.Pathlight) return;
  var base = script.src || document.baseURI;
  var locale = (script.getAttribute('data-locale') || '').trim();

  function read(value, what) {
    if (!value) return Promise.resolve(undefined);
    if (/^\s*[{[]/.test(value)) return Promise.resolve(value);
    return fetch(new URL(value, document.baseURI), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('Pathlight: could not load ' + what + ' from ' + value + ' (HTTP ' + r.status + ')');
      return r.text();
    });
  }

  var ready = Promise.all([
    import(new URL('./pathlight.js', base).href),
    read(script.getAttribute('data-config'), 'data-config'),
    read(script.getAttribute('data-answers'), 'data-answers'),
  ])
    .then(function (parts) {
      var options = { config: parts[1], answers: parts[2] };
      if (locale) options.locale = locale;
      return parts[0].Pathlight.init(options);
    })
    .catch(function (err) {
      console.error('Pathlight did not start:', err);
      return null;
    });

  window.Pathlight = Object.freeze({ ready: ready });
})();
