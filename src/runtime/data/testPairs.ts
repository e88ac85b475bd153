/**
 * Test images that pair across domains: a folder whose testA/ and testB/ hold the same file names
 * (`testA/0001.jpg`, `testB/0001.png`) gives each test image its namesake as its true
 * translation, which the quality curve scores against. Names only, no pixels: the data panel
 * imports the words without the folder loader.
 */

/** testA/ image i pairs with testB/ image partners[i]; or why the two do not pair. */
export type TestPairs = { partners: number[] } | { why: string };

/** What the load report says of the pairing. */
export type TestPairsReport = { paired: true; count: number } | { paired: false; why: string };

/** `a, b, c` of a list, at most three, then how many more. */
function someOf(list: readonly string[]): string {
  const shown = list.slice(0, 3).join(', ');
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown;
}

/**
 * For each testA/ image, the place of its testB/ namesake; or why the two do not pair (a name
 * without its namesake, a name twice); undefined when either is empty.
 */
export function testPairs(a: readonly string[], b: readonly string[]): TestPairs | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const placeIn = (list: readonly string[], split: string): Map<string, number> | string => {
    const place = new Map<string, number>();
    const twice: string[] = [];
    list.forEach((n, i) => (place.has(n) ? twice.push(n) : place.set(n, i)));
    return twice.length > 0 ? `${split}/ has ${someOf(twice)} twice (in two formats)` : place;
  };
  const inA = placeIn(a, 'testA');
  const inB = placeIn(b, 'testB');
  if (typeof inA === 'string') return { why: inA };
  if (typeof inB === 'string') return { why: inB };
  const lone = (list: readonly string[], other: Map<string, number>, from: string, to: string) => {
    const without = list.filter((n) => !other.has(n));
    return without.length > 0
      ? `${without.length} of ${from}/'s ${list.length} images have no namesake in ${to}/ (${someOf(without)})`
      : undefined;
  };
  const why = lone(a, inB, 'testA', 'testB') ?? lone(b, inA, 'testB', 'testA');
  return why ? { why } : { partners: a.map((n) => inB.get(n)!) };
}

/** Whether the test images pair, as the command line and the data panel say it. */
export function testPairsText(pairs: TestPairsReport): string {
  return pairs.paired
    ? `testA/ and testB/ pair by file name (${pairs.count} pairs): translations are scored against them`
    : `testA/ and testB/ are not paired (${pairs.why}): translations are not scored`;
}
