import { z } from 'zod';
import { defineNodeKind } from './kind';

const params = z
  .object({
    networks: z
      .array(z.string().min(1))
      .min(1)
      .describe('The networks whose weights this optimizer updates'),
    type: z.enum(['adam', 'rmsprop', 'sgd']).default('adam'),
    lr: z.number().positive().default(2e-4),
    beta1: z.number().min(0).lt(1).default(0.5),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    alpha: z.number().min(0).lt(1).default(0.99).describe('RMSprop smoothing constant'),
    order: z
      .number()
      .int()
      .default(0)
      .describe('Optimizers update in ascending order within a step'),
    // WGAN's n_critic is 5; each update is a whole forward and backward pass.
    updates: z.number().int().min(1).max(100).default(1).describe('Updates per step (n_critic)'),
    clip: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe('Clip every weight to [-clip, clip] after each update (WGAN)'),
    constantSteps: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe('Steps at the initial learning rate; then linear decay (null: never decays)'),
    decaySteps: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Steps over which the learning rate decays linearly to zero'),
  })
  .refine((p) => new Set(p.networks).size === p.networks.length, {
    message: 'a network is listed twice',
    path: ['networks'],
  });

export type OptimizerParams = z.infer<typeof params>;

/**
 * Minimizes the sum of the losses wired to it over the weights of its networks only, as the
 * reference's optimizer_G (G_A + G_B) and optimizer_D (D_A + D_B) do.
 */
export const OptimizerNode = defineNodeKind({
  kind: 'Optimizer',
  category: 'training',
  behavior: 'optimizer',
  description: 'Updates networks to minimize the sum of the losses wired to it',
  scopes: ['graph'],
  params,
  networkParams: ['networks'],
  inputs: () => [{ name: 'loss', type: 'loss', multiple: true }],
  outputs: () => [],
  inferShapes: () => ({}),
});
