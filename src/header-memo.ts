/**
 * Remembers what a request header (or a few of them) works out to: a language, a
 * content type, a client's hash. Browsers send a handful of distinct Accept and
 * Accept-Language values, so parsing each once instead of on every request saves real
 * time on the verification page. Bounded: when full it starts over, so odd headers
 * cannot grow it without end.
 */
export class HeaderMemo<V> {
  private readonly results = new Map<string, V>();

  constructor(private readonly maxEntries = 500) {}

  get(header: string, compute: () => V): V {
    let value = this.results.get(header);
    if (value === undefined) {
      value = compute();
      if (this.results.size >= this.maxEntries) this.results.clear();
      this.results.set(header, value);
    }
    return value;
  }
}
