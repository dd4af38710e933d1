import type { Writable } from 'node:stream';

/**
 * Waits until a response stream wants more (or was closed by a client that went away),
 * so sheets and CSVs of 100,000 labels are paced by the reader, not held in memory.
 */
export function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const go = () => {
      out.off('drain', go);
      out.off('close', go);
      resolve();
    };
    out.on('drain', go);
    out.on('close', go);
  });
}
