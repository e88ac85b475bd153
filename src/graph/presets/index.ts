/**
 * Network presets: the reference implementation's generators and discriminators, written out as
 * layer bodies, one preset to a file. Layer ids are the reference's module paths (`model.1`,
 * `model.10`, `model.model.1.model.3.model.1`), so a weight is named `<network>.<layer id>.<weight>`
 * exactly as in the reference's state_dict, and its checkpoints import by name. The model zoo's
 * presets (multilayer perceptrons, DCGAN, DiscoGAN's encoder-decoder, the BEGAN/EBGAN
 * autoencoder, a U-Net with a residual bottleneck) name their layers after their sources' modules
 * likewise.
 */
import type { BodyDocument } from '../document';
import { describeIssue } from '../zodProblems';
import { autoencoder } from './autoencoder';
import { dcganDiscriminator } from './dcganDiscriminator';
import { dcganGenerator } from './dcganGenerator';
import { encoderDecoder } from './encoderDecoder';
import { mlpDiscriminator } from './mlpDiscriminator';
import { mlpGenerator } from './mlpGenerator';
import { patchgan } from './patchgan';
import { pixel } from './pixel';
import { resnet } from './resnet';
import { unet } from './unet';
import { unetResnet } from './unetResnet';

export const PRESETS = {
  resnet,
  unet,
  patchgan,
  pixel,
  mlp_generator: mlpGenerator,
  mlp_discriminator: mlpDiscriminator,
  dcgan_generator: dcganGenerator,
  dcgan_discriminator: dcganDiscriminator,
  encoder_decoder: encoderDecoder,
  autoencoder,
  unet_resnet: unetResnet,
} as const;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export type PresetResult =
  | { ok: true; body: BodyDocument }
  | { ok: false; problems: { path: (string | number)[]; message: string }[] };

/** Expands a preset whose params are already resolved to values. */
export function expandPreset(name: string, params: Record<string, unknown>): PresetResult {
  if (!isPresetName(name)) {
    return {
      ok: false,
      problems: [
        {
          path: ['name'],
          message: `unknown preset "${name}"; known: ${Object.keys(PRESETS).join(', ')}`,
        },
      ],
    };
  }
  const expanded = PRESETS[name].expand(params);
  if (expanded.ok) return expanded;
  return {
    ok: false,
    problems: expanded.issues.map((issue) => ({
      path: ['params', ...issue.path.map(String)],
      message:
        issue.code === 'unrecognized_keys'
          ? `unknown preset param ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : describeIssue(issue, params),
    })),
  };
}
