/**
 * DynamoDB's item size as it bills it: each attribute's name (UTF-8 bytes)
 * plus its value (strings in UTF-8 bytes, numbers about one byte per two
 * digits plus one, binary its length, booleans and nulls one byte, lists and
 * maps three bytes plus one per element and their elements). Values may be
 * plain (the document client's) or marshalled ({ S: … }).
 */
const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

function marshalled(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false;
  const k = Object.keys(v);
  return k.length === 1 && TYPES.has(k[0]!);
}

function valueSize(v: unknown): number {
  if (marshalled(v)) {
    const [type, inner] = Object.entries(v)[0]!;
    if (type === 'N') return numberSize(String(inner));
    if (type === 'NS') return (inner as string[]).reduce((n, x) => n + numberSize(x), 0);
    if (type === 'M')
      return (
        3 +
        Object.entries(inner as Record<string, unknown>).reduce(
          (n, [k, x]) => n + Buffer.byteLength(k) + valueSize(x) + 1,
          0,
        )
      );
    if (type === 'L')
      return 3 + (inner as unknown[]).reduce((n: number, x) => n + valueSize(x) + 1, 0);
    return valueSize(inner);
  }
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(String(v));
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set)
    return [...(v as Set<unknown>)].reduce((n: number, x) => n + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + valueSize(x) + 1, 0);
  if (typeof v === 'object')
    return (
      3 +
      Object.entries(v as Record<string, unknown>).reduce(
        (n, [k, x]) => n + Buffer.byteLength(k) + valueSize(x) + 1,
        0,
      )
    );
  return 0;
}

function numberSize(n: string): number {
  return Math.ceil(n.replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
}

/** The item's size in bytes. */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);
}

/** Write units of writing an item of `bytes`: one per started KB. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
