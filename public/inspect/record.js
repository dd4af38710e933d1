// The scan page's records of inspections (docs/inspect-app.md §1 and §3): the form,
// prefilled from a verdict or for a stall without a label, its photos (made small on
// the device, photos.js), and the queue on the device (queue.js) sent when online.

import { formatInstant } from '/static/verify-offline.js';
import { enqueue, newRecordId, queued, sendQueued } from '/static/inspect/queue.js';
import { forget, preparePhoto, thumbnail } from '/static/inspect/photos.js';
import { $, lang, root, say } from '/static/inspect/page.js';


const FINDING_OF = { genuine: 'ok', forged: 'forged_label', expired: 'expired_mark', revoked: 'other', unknown: 'other' };
const REMEMBERED = 'ocop-inspect.place';

const MAX_PHOTOS = Number(root.dataset.maxPhotos) || 5;
const MAX_PHOTO_BYTES = Number(root.dataset.maxPhotoBytes) || 5 * 1024 * 1024;
/** The verdict the open record is about (fixed when the form opens: the camera may read on) and its photos. */
let recordFor = null;
let photos = [];

function showPhotos() {
  const list = $('inspect-record-form').querySelector('#r-photo-list');
  forget(list);
  photos.forEach((photo, i) => {
    const item = document.createElement('li');
    const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'quiet', textContent: say('photoRemove', { n: i + 1 }) });
    remove.addEventListener('click', () => {
      photos.splice(i, 1);
      showPhotos();
    });
    item.append(thumbnail(photo, say('photoAlt', { n: i + 1 })), remove);
    list.append(item);
  });
  list.dataset.count = String(photos.length);
}

async function addPhotos(files) {
  const note = $('r-photos-note');
  note.textContent = say('photoPreparing');
  const problems = [];
  for (const file of files) {
    if (photos.length >= MAX_PHOTOS) {
      problems.push(say('photoTooMany', { max: MAX_PHOTOS }));
      break;
    }
    try {
      photos.push(await preparePhoto(file, MAX_PHOTO_BYTES));
    } catch {
      problems.push(say('photoUnreadable'));
    }
  }
  note.textContent = problems.join(' ');
  showPhotos();
}

export function openRecord(v) {
  const form = $('inspect-record-form');
  recordFor = v;
  photos = [];
  showPhotos();
  $('r-photos-note').textContent = '';
  form.querySelector('#r-photos').value = '';
  const remembered = JSON.parse(localStorage.getItem(REMEMBERED) ?? '{}');
  form.commune.value = remembered.commune ?? '';
  form.place.value = remembered.place ?? '';
  const printed = Number($('inspect-printed').value) || null;
  form.starsSeen.value = printed ?? '';
  let finding = v ? (FINDING_OF[v.verdict] ?? 'other') : 'no_label';
  if (v?.verdict === 'genuine' && printed && v.stars && printed > v.stars) finding = 'stars_above_certified';
  form.finding.value = finding;
  form.notes.value = v ? (v.verdict === 'revoked' && v.at ? say('revokedAsOf', { time: formatInstant(new Date(v.at), lang) }) : '') : say('noLabelNote');
  form.dataset.withLabel = v ? 'yes' : 'no';
  $('inspect-record-problems').hidden = true;
  $('inspect-record').hidden = false;
  $('inspect-record-title').focus();
}

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null),
      { timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

async function saveRecord(event) {
  event.preventDefault();
  const form = event.target;
  const problems = [];
  const commune = form.commune.value.trim();
  const place = form.place.value.trim();
  if (!/^\d{5}$/.test(commune)) problems.push(say('problemCommune'));
  if (!place) problems.push(say('problemPlace'));
  const box = $('inspect-record-problems');
  if (problems.length) {
    box.replaceChildren(...problems.map((p) => Object.assign(document.createElement('p'), { textContent: p })));
    box.hidden = false;
    return;
  }
  localStorage.setItem(REMEMBERED, JSON.stringify({ commune, place }));
  const stars = Number(form.starsSeen.value);
  const v = form.dataset.withLabel === 'yes' ? recordFor : null;
  const record = {
    id: newRecordId(),
    at: new Date().toISOString(),
    commune,
    place,
    starsSeen: stars >= 1 && stars <= 5 ? Math.round(stars) : null,
    finding: form.finding.value,
    ...(form.notes.value.trim() ? { notes: form.notes.value.trim() } : {}),
    ...(v
      ? {
          label: {
            url: v.href,
            serial: v.serial || undefined,
            productId: v.productId ?? undefined,
            gtin: v.gtin ?? undefined,
            lot: v.lot || undefined,
            verdict: v.verdict,
            verdictAsOf: v.asOf ?? v.checkedAt,
          },
        }
      : {}),
  };
  if (form.gps.checked) {
    const gps = await position();
    if (gps) record.gps = gps;
  }
  await enqueue(record, photos.map((p) => ({ blob: p.blob, width: p.width, height: p.height })));
  photos = [];
  showPhotos();
  $('inspect-record').hidden = true;
  $('inspect-queue-note').textContent = say('saved');
  await showQueue();
  void sync();
}

export async function showQueue() {
  const entries = await queued();
  const waitingCount = entries.filter((e) => !e.refused).length;
  const line = $('inspect-queue');
  line.textContent = waitingCount ? say('queue', { count: waitingCount }) : say('queueEmpty');
  line.dataset.count = String(waitingCount);
  $('inspect-queue-block').hidden = false;
}

export async function sync() {
  if (!navigator.onLine) return;
  const outcome = await sendQueued({ csrf: root.dataset.csrf });
  // How the last round ended ('sent', 'offline': no answer, records kept), for whoever watches the page.
  root.dataset.lastSync = outcome.offline ? 'offline' : 'sent';
  const note = $('inspect-queue-note');
  if (outcome.loggedOut) note.textContent = say('queueLogin');
  else if (outcome.refused.length) note.textContent = say('queueRefused', { message: outcome.refused[0].message });
  else if (outcome.sent) note.textContent = say('queueSent');
  await showQueue();
}

/** Whether a record is being written (the camera's reads wait meanwhile). */
export const recording = () => !$('inspect-record').hidden;

export function setUpRecording() {
  $('inspect-record-nolabel').addEventListener('click', () => openRecord(null));
  $('r-cancel').addEventListener('click', () => {
    $('inspect-record').hidden = true;
    photos = [];
    showPhotos();
  });
  $('r-photos').addEventListener('change', (event) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length) void addPhotos(files);
  });
  $('inspect-record-form').addEventListener('submit', (event) => void saveRecord(event));
}
