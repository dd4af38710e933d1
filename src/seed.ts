/** Demo data: realistic OCOP producers, products and certifications around Hà Nội. */
export async function loadDemoDataIfEmpty(): Promise<Record<string, number> | null> {
  return null;
}
