// The label run page (views/producer/run.eta) while a run is being made: reads the page
// again every few seconds and puts its progress in place; once the run is no longer
// pending, loads the page whole (downloads appear). Without this script the page's
// "refresh" link does the same by hand.
(function () {
  'use strict';
  var section = document.getElementById('run-progress');
  if (!section || section.getAttribute('data-state') !== 'pending') return;
  var EVERY_MS = 3000;
  function check() {
    fetch(location.pathname, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(new Error(String(res.status))); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        var state = next.getElementById('run-state');
        if (!state || state.getAttribute('data-state') !== 'pending') { location.reload(); return; }
        var fresh = next.getElementById('run-progress');
        if (fresh) {
          var bar = section.querySelector('progress');
          var freshBar = fresh.querySelector('progress');
          if (bar && freshBar) bar.value = Number(freshBar.getAttribute('value'));
          var text = document.getElementById('run-progress-text');
          var freshText = next.getElementById('run-progress-text');
          if (text && freshText) text.textContent = freshText.textContent;
          // Stopped meanwhile (the "continue" form appeared): show the page as it is now.
          if (next.getElementById('run-stopped') && !document.getElementById('run-stopped')) { location.reload(); return; }
        }
        setTimeout(check, EVERY_MS);
      })
      .catch(function () { setTimeout(check, EVERY_MS * 3); });
  }
  setTimeout(check, EVERY_MS);
})();
