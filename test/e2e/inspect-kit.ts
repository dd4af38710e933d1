import { expect } from 'chai';
import fs from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { apiKeyFor, bearer } from '../support/app.js';
import { aCommune } from '../support/kit.js';
import { qrMatrix, QR_QUIET_ZONE } from '../../src/labels/print/qr.js';

/** What the scan page's browser tests share (test/e2e/inspect-*.test.ts). */

const [WIDTH, HEIGHT] = [640, 480];

/** One frame: a label's QR code (black modules on white, a little grey so it is not a perfect print), or a blank frame for null. */
function frameOf(url: string | null): Buffer {
  const luma = Buffer.alloc(WIDTH * HEIGHT, 225);
  if (url) {
    const { size, data } = qrMatrix(url);
    const side = size + 2 * QR_QUIET_ZONE;
    const module = Math.floor(440 / side);
    const left = Math.floor((WIDTH - side * module) / 2);
    const top = Math.floor((HEIGHT - side * module) / 2);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if (!data[y * size + x]) continue;
        for (let dy = 0; dy < module; dy++) {
          const row = (top + (y + QR_QUIET_ZONE) * module + dy) * WIDTH;
          luma.fill(30, row + left + (x + QR_QUIET_ZONE) * module, row + left + (x + QR_QUIET_ZONE + 1) * module);
        }
      }
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  return Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
}

/**
 * A video as chromium's fake camera reads it (YUV4MPEG2, 4:2:0 planes: luma, then the
 * two chroma planes at half size), played at 5 frames a second and looped by the camera:
 * each scene (a label's URL, or null for nothing in view) for `framesEach` frames.
 */
export function writeQrVideo(scenes: ReadonlyArray<string | null>, file: string, framesEach = 5): void {
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F5:1 Ip A1:1 C420jpeg\n`);
  const frames = scenes.flatMap((url) => {
    const frame = frameOf(url);
    return Array.from({ length: framesEach }, () => frame);
  });
  fs.writeFileSync(file, Buffer.concat([header, ...frames]));
}

export const fakeCamera = (video: string) => ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`];

export async function labelUrlsOf(app: Express, run: { runId: string; key: string }): Promise<string[]> {
  const csv = await request(app).get(`/api/v1/label-runs/${run.runId}/labels.csv`).set(bearer(run.key)).expect(200);
  return csv.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[2]!);
}

/** Opens /inspect without a session and logs in through the form it answers with. */
export async function logInToScanPage(page: Page, origin: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${origin}/inspect?lang=en`);
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#inspect[data-ready="true"]');
  expect(new URL(page.url()).pathname).to.equal('/inspect');
}

export async function recordInspection(page: Page, place: string, check?: (page: Page) => Promise<void>): Promise<void> {
  await page.click('#inspect-record-open');
  await check?.(page);
  await page.fill('#r-commune', aCommune.code);
  await page.fill('#r-place', place);
  await page.click('#inspect-record-form button[type="submit"]');
}

export type ServerInspection = {
  id: string;
  finding: string;
  starsSeen: number | null;
  place: { communeCode: string; shop: string };
  label: { serial: string | null; verdict: string | null } | null;
  photos: Array<{ slot: number; width: number; height: number; bytes: number; href: string }>;
};

/** The inspections the server holds at a stall, as the programme office lists them. */
export async function recordsAt(app: Express, shop: string): Promise<ServerInspection[]> {
  const key = await apiKeyFor('admin');
  const res = await request(app).get(`/api/v1/inspections?commune=${aCommune.code}&limit=100`).set(bearer(key)).expect(200);
  return (res.body as { items: ServerInspection[] }).items.filter((i) => i.place.shop === shop);
}

/** The records the page sent, as it sent them (read from the requests themselves). */
export function capturePosts(page: Page): Array<Record<string, unknown>> {
  const sent: Array<Record<string, unknown>> = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/v1/inspections') sent.push(JSON.parse(req.postData() ?? '{}') as Record<string, unknown>);
  });
  return sent;
}

/** Console errors of the page, but for failed loads (a network cut on purpose). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
  return errors;
}

/**
 * Back online with the answer to the first request matching `pattern` lost on the way:
 * the server takes it, the device never hears. Resolves once the device has noticed
 * (its last sync reads offline) and the next requests go through.
 */
export async function onlineWithFirstAnswerLost(context: BrowserContext, page: Page, pattern: string): Promise<void> {
  let answerLost!: () => void;
  const lost = new Promise<void>((resolve) => (answerLost = resolve));
  let sent = 0;
  await context.route(pattern, async (route) => {
    if (sent++ > 0) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
    answerLost();
  });
  await context.setOffline(false);
  await lost;
  await page.waitForSelector('#inspect[data-last-sync="offline"]');
}
