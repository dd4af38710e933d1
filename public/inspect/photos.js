// Photos attached to an inspection record on the scan page (docs/inspect-app.md §3).
// Each photo is made smaller on the device before it is kept: drawn on a canvas at most
// 1600 pixels a side (what the server keeps anyway) and encoded as JPEG, so a phone's
// 12-megapixel photo of 4-6 MB becomes a few hundred kB in the queue and on the network,
// within the API's limit per photo. Drawing on a canvas also leaves the camera's
// metadata (EXIF: the phone, often a GPS position) behind.

const MAX_SIDE = 1600;
/** Tried in turn until the photo fits the API's limit (a 1600 px JPEG rarely needs the second). */
const QUALITIES = [0.82, 0.7, 0.55, 0.4];

function canvasOf(width, height) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  return Object.assign(document.createElement('canvas'), { width, height });
}

function jpegOf(canvas, quality) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no JPEG'))), 'image/jpeg', quality));
}

/**
 * A photo taken or chosen, as it is kept and sent: { blob (image/jpeg), width, height }.
 * Rejects when the browser cannot draw it (a damaged file, a format it does not read).
 */
export async function preparePhoto(file, maxBytes) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = canvasOf(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  for (const quality of QUALITIES) {
    const blob = await jpegOf(canvas, quality);
    if (blob.size <= maxBytes) return { blob, width, height };
  }
  throw new Error(`the photo stays above ${maxBytes} bytes`);
}

/** A thumbnail of a kept photo, 96 pixels on its longer side; its object URL is freed by `forget`. */
export function thumbnail(photo, alt) {
  const img = document.createElement('img');
  const scale = 96 / Math.max(photo.width, photo.height);
  img.width = Math.round(photo.width * scale);
  img.height = Math.round(photo.height * scale);
  img.alt = alt;
  img.src = URL.createObjectURL(photo.blob);
  img.dataset.width = String(photo.width);
  img.dataset.height = String(photo.height);
  img.dataset.bytes = String(photo.blob.size);
  return img;
}

export function forget(list) {
  for (const img of list.querySelectorAll('img')) URL.revokeObjectURL(img.src);
  list.replaceChildren();
}
