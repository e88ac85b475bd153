/**
 * The contract every network preset fulfils: a preset is declared in one file of this folder,
 * its params a zod schema with defaults, and `build` writes the network's body from params
 * typed by that schema. The reference's generators and discriminators and the model zoo's
 * networks are presets; the registry (index.ts) collects them.
 */
import type { z } from 'zod';
import type { BodyDocument, NetworkDocument } from '../document';

export interface PresetSpec<S extends z.ZodType<Record<string, unknown>>> {
  role: NetworkDocument['role'];
  description: string;
  params: S;
  /** Writes the body. Layer ids are the source's module paths, so weights import by name. */
  build(params: z.infer<S>): BodyDocument;
}

export type Expanded = { ok: true; body: BodyDocument } | { ok: false; issues: z.core.$ZodIssue[] };

export interface Preset<S extends z.ZodType<Record<string, unknown>>> extends PresetSpec<S> {
  /** Checks params against the schema (filling in defaults), then builds the body. */
  expand(params: Readonly<Record<string, unknown>>): Expanded;
}

/** Declares a preset whose `build` receives the params its schema parsed. */
export function definePreset<S extends z.ZodType<Record<string, unknown>>>(
  spec: PresetSpec<S>,
): Preset<S> {
  return {
    ...spec,
    expand(params) {
      const parsed = spec.params.safeParse(params);
      return parsed.success
        ? { ok: true, body: spec.build(parsed.data) }
        : { ok: false, issues: parsed.error.issues };
    },
  };
}
