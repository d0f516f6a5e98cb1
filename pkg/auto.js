// Pathlight script-tag entry (a classic script, so document.currentScript works):
//
//   <script src="/pathlight/auto.js" data-config="/pathlight/config.json"
//           data-answers="/pathlight/answers.json" async></script>
//
// data-config and data-answers take a URL or inline JSON. It defines one
// global, window.Pathlight = { ready }, where `ready` resolves to the running
// instance, or to null when Pathlight could not start (the reason is logged);
// it never rejects, so nothing reaches the page as an unhandled rejection.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.Pathlight) return;
  var base = script.src || document.baseURI;

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
      return parts[0].Pathlight.init({ config: parts[1], answers: parts[2] });
    })
    .catch(function (err) {
      console.error('Pathlight did not start:', err);
      return null;
    });

  window.Pathlight = Object.freeze({ ready: ready });
})();
