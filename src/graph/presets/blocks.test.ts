import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findNodeKind } from '../../nodes';
import { isPowerOfTwo, powerOfTwo } from './blocks';
import { PRESETS } from './index';

describe('a power of 2', () => {
  it.each([8, 64, 4096, 2 ** 40])('%i is one', (n) => expect(isPowerOfTwo(n)).toBe(true));

  it.each([0, -8, 12, 6_442_450_944, 2 ** 32 + 2 ** 31, 2 ** 53 + 2])('%i is not', (n) =>
    expect(isPowerOfTwo(n)).toBe(false),
  );

  it('a size param takes powers of 2 from 8 to 4096', () => {
    expect(powerOfTwo.safeParse(4096).success).toBe(true);
    expect(powerOfTwo.safeParse(8192).success).toBe(false);
    expect(powerOfTwo.safeParse(6_442_450_944).success).toBe(false);
  });
});

/** Every numeric field of a preset at its ceiling, where it has one. */
function atCeilings(schema: z.ZodType): Record<string, number> {
  const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
  const out: Record<string, number> = {};
  for (const [name, field] of Object.entries(shape)) {
    const inner = field instanceof z.ZodDefault ? field.unwrap() : field;
    const max = (inner as { maxValue?: number | null }).maxValue;
    if (typeof max === 'number' && Number.isFinite(max)) out[name] = max;
  }
  return out;
}

describe('preset ceilings', () => {
  it.each(Object.keys(PRESETS))('every size param of %s has a ceiling', (name) => {
    const shape = (PRESETS[name as keyof typeof PRESETS].params as z.ZodObject).shape;
    for (const [field, schema] of Object.entries(shape as Record<string, z.ZodType>)) {
      if (!schema.safeParse(8).success) continue;
      expect(schema.safeParse(2 ** 40).success, `${name}.${field}`).toBe(false);
    }
  });

  it.each(Object.keys(PRESETS))(
    '%s at its ceilings refuses them or writes layers within their kinds’ ceilings',
    (name) => {
      const preset = PRESETS[name as keyof typeof PRESETS];
      const params = atCeilings(preset.params);
      expect(Object.keys(params).length, `${name} has ceilings`).toBeGreaterThan(0);
      const expanded = preset.expand(params);
      if (!expanded.ok) {
        expect(expanded.issues.map((i) => i.message).join()).toMatch(/at most/);
        return;
      }
      for (const node of expanded.body.nodes) {
        const kind = findNodeKind(node.kind)!;
        const parsed = kind.params.safeParse(node.params ?? {});
        expect(parsed.success, `${name} ${node.id}: ${JSON.stringify(node.params)}`).toBe(true);
      }
    },
  );
});
