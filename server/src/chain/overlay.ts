const DELETED = Symbol('deleted');

/**
 * A map that is another map with a few entries changed, without copying it:
 * what an update of a large chain needs when only some names change. Reading
 * costs one more lookup; changes over an overlay are merged into one layer,
 * and once they grow to a good part of the map, it is copied flat.
 * Iteration gives the base's order, changed entries in place, new ones last.
 */
export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  readonly size: number;

  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    private readonly changes: ReadonlyMap<K, V | typeof DELETED>,
  ) {
    let size = base.size;
    for (const [k, v] of changes) {
      const had = base.has(k);
      if (v === DELETED) size -= had ? 1 : 0;
      else size += had ? 0 : 1;
    }
    this.size = size;
  }

  /** `base` with `changes` made (undefined deletes an entry). */
  static of<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | undefined>): ReadonlyMap<K, V> {
    if (!changes.size) return base;
    let root = base;
    const merged = new Map<K, V | typeof DELETED>();
    if (base instanceof OverlayMap) {
      root = base.base;
      for (const [k, v] of base.changes) merged.set(k, v);
    }
    for (const [k, v] of changes) merged.set(k, v === undefined ? DELETED : v);
    if (merged.size * 8 > root.size) {
      const flat = new Map<K, V>();
      for (const [k, v] of new OverlayMap(root, merged)) flat.set(k, v);
      return flat;
    }
    return new OverlayMap(root, merged);
  }

  get(key: K): V | undefined {
    const v = this.changes.get(key);
    if (v !== undefined) return v === DELETED ? undefined : v;
    return this.changes.has(key) ? undefined : this.base.get(key);
  }

  has(key: K): boolean {
    const v = this.changes.get(key);
    if (v !== undefined) return v !== DELETED;
    return this.base.has(key);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const [k, v] of this.base) {
      if (!this.changes.has(k)) yield [k, v];
      else {
        const changed = this.changes.get(k)!;
        if (changed !== DELETED) yield [k, changed];
      }
    }
    for (const [k, v] of this.changes) if (v !== DELETED && !this.base.has(k)) yield [k, v];
  }

  *keys(): IterableIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
}
