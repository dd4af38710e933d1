// The page of a decision being imported: reloads itself every few seconds until the
// import is done. Without JavaScript the page has a link that does the same.
(function () {
  var state = document.getElementById('decision-state');
  if (!state || state.getAttribute('data-state') !== 'committing' || state.getAttribute('data-running') !== '1') return;
  setTimeout(function () { window.location.reload(); }, 3000);
})();
