// Lumen & Co.: loads Pathlight in the help language the visitor picked in
// the header (localStorage "demo-lang": en, he or tr; unset, the browser's
// languages decide). A classic script that runs before anything else and
// adds the auto.js script tag with data-config, data-answers and
// data-locale. The store's own text stays English: the widget sets its own
// lang and, for Hebrew, dir="rtl", so the page layout is not flipped.
//
// `?pathlight=off` in the address leaves Pathlight out altogether (the store
// as it is without it): benches/page.mjs compares the two.
(function () {
  'use strict';
  if (/[?&]pathlight=off(&|$)/.test(location.search)) return;
  var lang = null;
  try {
    lang = localStorage.getItem('demo-lang');
  } catch (e) {
    // storage is unavailable: no choice was kept
  }
  var s = document.createElement('script');
  s.id = 'pathlight-loader';
  s.src = '/pkg/auto.js';
  s.async = false;
  s.setAttribute('data-config', '/pathlight/config.json');
  s.setAttribute('data-answers', '/pathlight/answers.json');
  if (lang === 'en' || lang === 'he' || lang === 'tr') s.setAttribute('data-locale', lang);
  var me = document.currentScript;
  if (me && me.parentNode) me.parentNode.insertBefore(s, me.nextSibling);
  else document.head.appendChild(s);
})();
