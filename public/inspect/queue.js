// The inspection records of the scan page, kept in the browser (IndexedDB) until the
// server has them: a record is saved here first, always, then sent to
// POST /api/v1/inspections. Each record carries an id made on the device, which the
// server takes as its idempotency key: sending a record again (the answer was lost,
// the network came back) answers the same record, never a second one.

const DB_NAME = 'ocop-inspect';
const STORE = 'queue';

let opened = null;
function database() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

async function inStore(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** A record id: 128 random bits, base64url (22 characters of [A-Za-z0-9_-]). */
export function newRecordId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Every record not yet taken by the server: { id, record, refused? }. */
export const queued = () => inStore('readonly', (s) => s.getAll());
export const enqueue = (record) => inStore('readwrite', (s) => s.put({ id: record.id, record, queuedAt: new Date().toISOString() }));
const settle = (id) => inStore('readwrite', (s) => s.delete(id));
const markRefused = (entry, problem) => inStore('readwrite', (s) => s.put({ ...entry, refused: problem }));

/** The CSRF token session writes send: the one of now (the page's may be old after hours offline). */
async function csrfToken(fallback) {
  const res = await fetch('/api/v1/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (res.status === 401) return { loggedOut: true };
  if (!res.ok) return { token: fallback };
  const me = await res.json();
  return { token: me.csrfToken ?? fallback };
}

let running = null;

/**
 * Sends every waiting record, oldest first, one at a time. Resolves to
 * { sent, refused: [{ id, message }], loggedOut, offline }. A network failure or a
 * server error stops the round (the records stay, and go with the next one); a record
 * the server refuses for what it holds (400, 409, 422) is kept, marked, and skipped
 * from then on, so one bad record does not hold back the others.
 */
export function sendQueued({ csrf } = {}) {
  running ??= (async () => {
    const outcome = { sent: 0, refused: [], loggedOut: false, offline: false };
    const round = async () => {
      const waiting = (await queued()).filter((e) => !e.refused).sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
      if (!waiting.length) return;
      let session;
      try {
        session = await csrfToken(csrf);
      } catch {
        outcome.offline = true;
        return;
      }
      if (session.loggedOut) {
        outcome.loggedOut = true;
        return;
      }
      for (const entry of waiting) {
        let res;
        try {
          res = await fetch('/api/v1/inspections', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': session.token ?? '' },
            body: JSON.stringify(entry.record),
            cache: 'no-store',
          });
        } catch {
          outcome.offline = true;
          return;
        }
        if (res.status === 201 || res.status === 200) {
          await settle(entry.id);
          outcome.sent++;
        } else if (res.status === 401) {
          outcome.loggedOut = true;
          return;
        } else if (res.status === 400 || res.status === 409 || res.status === 422) {
          const body = await res.json().catch(() => ({}));
          const message = body?.error?.message ?? body?.message ?? `HTTP ${res.status}`;
          await markRefused(entry, message);
          outcome.refused.push({ id: entry.id, message });
        } else {
          // 403 (a stale CSRF token), 429, 5xx: try again later, in the same order.
          return;
        }
      }
    };
    try {
      // One sender at a time across the inspector's tabs too: two would only send the same ids twice.
      if (navigator.locks) await navigator.locks.request('ocop-inspect-queue', round);
      else await round();
    } finally {
      running = null;
    }
    return outcome;
  })();
  return running;
}
