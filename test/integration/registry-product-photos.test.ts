import { expect } from 'chai';
import request from 'supertest';
import sharp from 'sharp';
import { apiKeyFor, bearer, verificationApp } from '../support/app.js';
import { buildIssuedRun, buildProduct, issueLabel, registerKey } from '../support/kit.js';
import type { SigningKey } from '../../src/labels/signing/key-crypto.js';
import { escapeHtml } from '../../src/templates.js';

/** A camera-like JPEG: 1600×1200, noisy (so it does not compress to nothing), with EXIF naming a camera and an orientation. */
async function cameraJpeg(): Promise<Buffer> {
  const width = 1600;
  const height = 1200;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251 ^ (i >> 9) % 256;
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: { Make: 'TestCam', Model: 'Secret Model 9' }, IFD3: { GPSLatitudeRef: 'N' } })
    .toBuffer();
}

describe('registry: product photos', () => {
  const { keyring, app } = verificationApp();
  let admin: string;
  let jpeg: Buffer;
  let key: SigningKey;
  before(async () => {
    admin = await apiKeyFor('admin');
    jpeg = await cameraJpeg();
    key = await registerKey('active');
    await keyring.refresh();
  });
  const upload = (productId: string, body: Buffer, type = 'image/jpeg', auth: Record<string, string> = bearer(admin)) =>
    request(app).put(`/api/v1/products/${productId}/photo`).set(auth).set('Content-Type', type).send(body);

  it('when a JPEG with EXIF is uploaded, then the stored photo is an upright WebP at most 480 px wide, without any metadata, served immutable', async () => {
    const sent = await sharp(jpeg).metadata();
    expect(sent.orientation, 'the upload is turned by its EXIF').to.equal(6);
    expect(sent.exif?.includes(Buffer.from('Secret Model 9')), 'the upload carries EXIF').to.equal(true);
    const product = await buildProduct();
    const res = await upload(product._id, jpeg).expect(200);
    const photo = res.body.photo as { url: string; width: number; height: number; page: { url: string; width: number; height: number } };
    expect(photo.url).to.match(/^\/media\/products\/[0-9a-f]{32}\.webp$/);
    // Orientation 6 turns the 1600×1200 landscape upright: 480 wide, 640 high.
    expect([photo.width, photo.height]).to.deep.equal([480, 640]);
    expect([photo.page.width, photo.page.height]).to.deep.equal([240, 320]);
    for (const [url, width] of [[photo.url, 480], [photo.page.url, 240]] as const) {
      const served = await request(app).get(url).buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(served.headers['content-type']).to.equal('image/webp');
      expect(served.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      const meta = await sharp(served.body as Buffer).metadata();
      expect(meta.format).to.equal('webp');
      expect(meta.width).to.equal(width);
      expect(meta.exif, 'EXIF stripped').to.equal(undefined);
      expect(meta.xmp, 'XMP stripped').to.equal(undefined);
      expect((served.body as Buffer).includes(Buffer.from('Secret Model 9'))).to.equal(false);
    }
    const page = await request(app).get(photo.page.url).expect(200);
    expect(Number(page.headers['content-length'])).to.be.at.most(12 * 1024);
  });

  it('when the same picture is uploaded for two products, then both name one stored photo', async () => {
    const [a, b] = await Promise.all([buildProduct(), buildProduct()]);
    const first = (await upload(a._id, jpeg).expect(200)).body.photo.url;
    expect((await upload(b._id, jpeg).expect(200)).body.photo.url).to.equal(first);
  });

  it('when the body is not an image (whatever its Content-Type says), then 415 product/unsupported_image in the caller\'s language', async () => {
    const product = await buildProduct();
    const res = await upload(product._id, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png').expect(415);
    expect(res.body.error.code).to.equal('product/unsupported_image');
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).gif().toBuffer();
    const en = await upload(product._id, gif, 'image/png').set('Accept-Language', 'en').expect(415);
    expect(en.body.error.code).to.equal('product/unsupported_image');
    expect(await request(app).get(`/api/v1/products/${product._id}`).expect(200).then((r) => r.body.photo)).to.equal(null);
  });

  it('when the body is sent as another Content-Type, then 415 product/unsupported_image', async () => {
    const product = await buildProduct();
    const res = await upload(product._id, jpeg, 'application/octet-stream').expect(415);
    expect(res.body.error.code).to.equal('product/unsupported_image');
  });

  it('when the body is over 5 MB, then 413 request/too_large', async () => {
    const product = await buildProduct();
    const res = await upload(product._id, Buffer.alloc(5 * 1024 * 1024 + 1, 0xff)).expect(413);
    expect(res.body.error.code).to.equal('request/too_large');
  });

  it('when a producer key or no key uploads or deletes, then 403 or 401 and the photo stays', async () => {
    const product = await buildProduct();
    await upload(product._id, jpeg).expect(200);
    const own = await apiKeyFor('producer', product.producerId);
    expect((await upload(product._id, jpeg, 'image/jpeg', bearer(own)).expect(403)).body.error.code).to.equal('auth/forbidden');
    expect((await upload(product._id, jpeg, 'image/jpeg', {}).expect(401)).body.error.code).to.equal('auth/unauthorized');
    await request(app).delete(`/api/v1/products/${product._id}/photo`).set(bearer(own)).expect(403);
    expect((await request(app).get(`/api/v1/products/${product._id}`).expect(200)).body.photo).to.not.equal(null);
  });

  it('when the photo is deleted, then the product has none; an unknown photo address is 404', async () => {
    const product = await buildProduct();
    await upload(product._id, jpeg).expect(200);
    const res = await request(app).delete(`/api/v1/products/${product._id}/photo`).set(bearer(admin)).expect(200);
    expect(res.body.photo).to.equal(null);
    expect((await request(app).get(`/media/products/${'f'.repeat(32)}.webp`).set('Accept', 'application/json').expect(404)).body.error.code).to.equal('product/photo_not_found');
    await request(app).get('/media/products/not-a-hash.webp').expect(404);
    await request(app).put(`/api/v1/products/nosuchproduct/photo`).set(bearer(admin)).set('Content-Type', 'image/jpeg').send(jpeg).expect(404);
  });

  it('when a genuine label is opened, then its page shows the photo with its size, the published contact as links and the standards', async () => {
    const world = await buildIssuedRun({ gtin: true, stars: 4 });
    const photo = (await upload(world.product._id, jpeg).expect(200)).body.photo.page as { url: string; width: number; height: number };
    const standards = ['TCVN 5250:2015', 'QCVN 8-2:2011/BYT'];
    await request(app).patch(`/api/v1/products/${world.product._id}`).set(bearer(admin)).send({ standards }).expect(200);
    const contact = { phone: '0912 345 678', website: 'https://htx.example.vn/?a=1&b=2' };
    const producer = await request(app).patch(`/api/v1/producers/${world.producer._id}`).set(bearer(admin)).send({ publicContact: contact }).expect(200);
    expect(producer.body.publicContact).to.deep.equal({ phone: '0912345678', website: contact.website });
    const label = await issueLabel(world, key);
    const html = (await request(app).get(label.path).set('Accept', 'text/html').expect(200)).text;
    expect(html).to.contain('data-verdict="genuine"');
    const img = /<img class="product-photo"[^>]*>/.exec(html)?.[0] ?? '';
    expect(img).to.contain(`src="${photo.url}"`);
    expect(img).to.contain(`width="${photo.width}"`).and.contain(`height="${photo.height}"`);
    expect(img).to.contain(`alt="${escapeHtml(world.product.name.vi)}"`).and.contain('loading="eager"');
    expect(html).to.contain('href="tel:0912345678"');
    expect(html).to.contain(`href="${escapeHtml(contact.website)}"`);
    expect(html).to.contain(standards.map(escapeHtml).join('; '));
  });
});

describe('registry: published contact and standards, validated', () => {
  const { app } = verificationApp();
  let admin: string;
  before(async () => {
    admin = await apiKeyFor('admin');
  });

  for (const [what, publicContact] of [
    ['a phone that is not Vietnamese', { phone: '+1 555 0100' }],
    ['a website that is not http(s)', { website: 'javascript:alert(1)' }],
    ['a website that is no URL', { website: 'htx dot vn' }],
  ] as const) {
    it(`when a producer publishes ${what}, then 400 request/invalid names publicContact`, async () => {
      const product = await buildProduct();
      const res = await request(app).patch(`/api/v1/producers/${product.producerId}`).set(bearer(admin)).send({ publicContact }).expect(400);
      expect(res.body.error.code).to.equal('request/invalid');
      expect(JSON.stringify(res.body.error.details)).to.contain('publicContact');
    });
  }

  it('when a household publishes a contact, then anyone reads it, while its private contact stays hidden', async () => {
    const product = await buildProduct();
    const admin2 = await apiKeyFor('admin');
    await request(app).patch(`/api/v1/producers/${product.producerId}`).set(bearer(admin2)).send({ kind: 'household', publicContact: { phone: '+84 912 345 678' } }).expect(200);
    const res = await request(app).get(`/api/v1/producers/${product.producerId}`).expect(200);
    expect(res.body.publicContact).to.deep.equal({ phone: '0912345678', website: null });
    expect(res.body.contact).to.equal(undefined);
  });

  for (const [what, standards] of [
    ['more than 10 standards', Array.from({ length: 11 }, (_, i) => `TCCS ${i}:2024`)],
    ['a standard over 100 characters', ['T'.repeat(101)]],
  ] as const) {
    it(`when a product is given ${what}, then 400 request/invalid names standards`, async () => {
      const product = await buildProduct();
      const res = await request(app).patch(`/api/v1/products/${product._id}`).set(bearer(admin)).send({ standards }).expect(400);
      expect(res.body.error.code).to.equal('request/invalid');
      expect(JSON.stringify(res.body.error.details)).to.contain('standards');
    });
  }
});
