// The inspection records of the scan page, kept in the browser (IndexedDB) until the
// server has them: a record is saved here first, always, then sent to
// POST /api/v1/inspections. Each record carries an id made on the device, which the
// server takes as its idempotency key: sending a record again (the answer was lost,
// the network came back) answers the same record, never a second one. A record's photos
// (JPEG blobs, made small on the device: photos.js) are kept with it and sent after it,
// one PUT each; the server knows a photo it already has by its bytes, so sending one
// again after a lost answer adds nothing either.

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

/**
 * Every record not yet wholly taken by the server: { id, record, photos: [{ blob, width,
 * height }], posted (the server has the record), photosSent (how many of its photos it
 * has, in order), refused? }.
 */
export const queued = () => inStore('readonly', (s) => s.getAll());
export const enqueue = (record, photos = []) =>
  inStore('readwrite', (s) => s.put({ id: record.id, record, photos, posted: false, photosSent: 0, queuedAt: new Date().toISOString() }));
const settle = (id) => inStore('readwrite', (s) => s.delete(id));
const keep = (entry) => inStore('readwrite', (s) => s.put(entry));
const markRefused = (entry, problem) => keep({ ...entry, refused: problem });
const problemOf = async (res) => {
  const body = await res.json().catch(() => ({}));
  return body?.error?.message ?? body?.message ?? `HTTP ${res.status}`;
};

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
      const send = (url, method, type, body) =>
        fetch(url, { method, headers: { 'Content-Type': type, Accept: 'application/json', 'X-CSRF-Token': session.token ?? '' }, body, cache: 'no-store' });
      /** One request's answer, or null when the sync stops here (offline, or logged out), noted in `outcome`. */
      const attempt = async (url, method, type, body) => {
        let res;
        try {
          res = await send(url, method, type, body);
        } catch {
          outcome.offline = true;
          return null;
        }
        if (res.status === 401) {
          outcome.loggedOut = true;
          return null;
        }
        return res;
      };
      for (let entry of waiting) {
        if (!entry.posted) {
          const res = await attempt('/api/v1/inspections', 'POST', 'application/json', JSON.stringify(entry.record));
          if (!res) return;
          if (res.status === 400 || res.status === 409 || res.status === 422) {
            const message = await problemOf(res);
            await markRefused(entry, message);
            outcome.refused.push({ id: entry.id, message });
            continue;
          } else if (res.status !== 201 && res.status !== 200) {
            // 403 (a stale CSRF token), 429, 5xx: try again later, in the same order.
            return;
          }
          entry = { ...entry, posted: true };
          if (entry.photos?.length) await keep(entry);
        }
        const photos = entry.photos ?? [];
        for (let i = entry.photosSent ?? 0; i < photos.length; i++) {
          const res = await attempt(`/api/v1/inspections/${encodeURIComponent(entry.id)}/photos`, 'PUT', 'image/jpeg', photos[i].blob);
          if (!res) return;
          if (res.status === 400 || res.status === 409 || res.status === 413 || res.status === 422) {
            // A photo the server will never take (unreadable, one too many): the record is there; go on without it.
            outcome.refused.push({ id: entry.id, message: await problemOf(res) });
          } else if (res.status !== 201 && res.status !== 200) {
            return;
          }
          entry = { ...entry, photosSent: i + 1 };
          await keep(entry);
        }
        await settle(entry.id);
        outcome.sent++;
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
