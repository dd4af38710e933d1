// The scan page's entry (views/inspect/scan.eta). The layout loads classic scripts;
// the page's code is ES modules shared with the service worker and with Node (the
// label and revocation checks), so this only loads them.
document.getElementById('inspect-nojs')?.setAttribute('hidden', '');
import('/static/inspect/app.js').catch((err) => {
  document.getElementById('inspect-nojs')?.removeAttribute('hidden');
  console.error(err);
});
