/** The first index whose item satisfies `test`, for a test that is false up to some index and true from it on. */
export function firstIndex<T>(items: T[], test: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
