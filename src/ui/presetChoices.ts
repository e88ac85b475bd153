/** The preset switcher's choices: the reference's named architectures. */
import type { NetworkDocument } from '../graph/document';
import { resolveParams, type Variables } from '../graph/expression';
import { PRESETS, type PresetName } from '../graph/presets';

export interface PresetChoice {
  id: string;
  label: string;
  preset: PresetName;
  /** What tells this choice from the others of its preset. */
  params: Record<string, number>;
}

export const PRESET_CHOICES: readonly PresetChoice[] = [
  { id: 'resnet-6', label: 'ResNet-6 (128×128)', preset: 'resnet', params: { n_blocks: 6 } },
  { id: 'resnet-9', label: 'ResNet-9 (256×256)', preset: 'resnet', params: { n_blocks: 9 } },
  { id: 'unet-128', label: 'U-Net-128', preset: 'unet', params: { num_downs: 7 } },
  { id: 'unet-256', label: 'U-Net-256', preset: 'unet', params: { num_downs: 8 } },
  { id: 'patchgan', label: 'PatchGAN', preset: 'patchgan', params: {} },
  { id: 'pixel', label: 'PixelGAN (1×1)', preset: 'pixel', params: {} },
];

export function choicesFor(role: NetworkDocument['role']): PresetChoice[] {
  return PRESET_CHOICES.filter((c) => PRESETS[c.preset].role === role);
}

/** The choice a network is now: undefined for written-out layers or a variant of no choice. */
export function currentChoice(network: NetworkDocument, variables: Variables): string | undefined {
  if (!network.preset) return undefined;
  const values = resolveParams(network.preset.params ?? {}, variables).value;
  const schema = PRESETS[network.preset.name as PresetName]?.params;
  const parsed = schema?.safeParse(values);
  const resolved = (parsed?.success ? parsed.data : values) as Record<string, unknown>;
  return PRESET_CHOICES.find(
    (c) =>
      c.preset === network.preset!.name &&
      Object.entries(c.params).every(([k, v]) => resolved[k] === v),
  )?.id;
}

/**
 * The params a network gets when switched to a choice: the choice's own, and those of its
 * current preset that the new one also has (its width, its norm, as written).
 */
export function paramsForChoice(
  network: NetworkDocument,
  choice: PresetChoice,
): Record<string, unknown> {
  const keys = Object.keys(PRESETS[choice.preset].params.shape);
  const kept = Object.entries(network.preset?.params ?? {}).filter(([k]) => keys.includes(k));
  return { ...Object.fromEntries(kept), ...choice.params };
}
