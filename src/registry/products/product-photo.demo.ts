import sharp from 'sharp';

/**
 * A demo product photo, drawn here rather than copied: a still life in the product's
 * colours (a vessel on a table under a soft light), rendered from SVG to a JPEG as a
 * camera would send it, so the demo goes through the same upload path as real photos.
 */
export async function demoPhoto(hue: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640">
  <defs>
    <radialGradient id="light" cx="35%" cy="30%" r="80%"><stop offset="0" stop-color="hsl(${hue},45%,92%)"/><stop offset="1" stop-color="hsl(${hue},35%,70%)"/></radialGradient>
    <linearGradient id="body" x1="0" x2="1"><stop offset="0" stop-color="hsl(${hue},55%,38%)"/><stop offset=".45" stop-color="hsl(${hue},60%,58%)"/><stop offset="1" stop-color="hsl(${hue},55%,30%)"/></linearGradient>
  </defs>
  <rect width="640" height="640" fill="url(#light)"/>
  <rect y="470" width="640" height="170" fill="hsl(${(hue + 30) % 360},30%,45%)"/>
  <ellipse cx="320" cy="500" rx="170" ry="26" fill="#000" opacity=".18"/>
  <path d="M250 140h140v40c0 40 90 90 90 190 0 90-60 130-160 130s-160-40-160-130c0-100 90-150 90-190z" fill="url(#body)"/>
  <ellipse cx="320" cy="140" rx="70" ry="14" fill="hsl(${hue},50%,28%)"/>
  <path d="M220 330c40 30 160 30 200 0" stroke="hsl(${hue},30%,90%)" stroke-width="10" fill="none" opacity=".7"/>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}
