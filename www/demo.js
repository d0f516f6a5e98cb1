// The demo page's own code (not the SDK): shows every handoff the page's
// callback receives, as a stand-in agent inbox.
window.demoHandoffs = [];
window.Pathlight.ready.then(function (pl) {
  if (!pl) return;
  pl.on('handoff', function (payload) {
    window.demoHandoffs.push(payload);
    var list = document.getElementById('handoffs');
    if (window.demoHandoffs.length === 1) list.textContent = '';
    var item = document.createElement('li');
    item.textContent = payload.summary;
    list.appendChild(item);
  });
});
