// What the scan page's modules share (views/inspect/scan.eta): its root element, its
// language and the words its script writes (handed to it in the page, so the scripts
// hold no language).

export const root = document.getElementById('inspect');
export const lang = root.dataset.lang === 'en' ? 'en' : 'vi';
const texts = JSON.parse(root.dataset.texts);
export const say = (key, vars = {}) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (_, v) => String(vars[v] ?? ''));
export const $ = (id) => document.getElementById(id);
