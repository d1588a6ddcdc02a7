/** A strict-enough XML check shared by the picture tests: every tag closes in order, attributes are quoted. */
import assert from 'node:assert/strict';

export function assertWellFormed(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'starts with the svg element');
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the open element`);
    else stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element is closed');
  assert.equal(svg.replace(/<[^>]*>/g, '').includes('<'), false, 'no stray < in text');
  assert.equal(/&(?!(lt|gt|amp|quot|apos);)/.test(svg.replace(/<[^>]*>/g, '')), false, 'no bare & in text');
}

/** How many times `pattern` occurs. */
export function count(svg: string, pattern: RegExp): number {
  return (svg.match(new RegExp(pattern.source, 'g')) ?? []).length;
}

/** The fill of every <rect class="px">, in document order, as [r, g, b]. */
export function pixelFills(svg: string): number[][] {
  return [...svg.matchAll(/<rect class="px"[^>]*fill="rgb\((\d+),(\d+),(\d+)\)"/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
}
