/**
 * The parts of TensorFlow.js that training uses: the core ops and the cpu and webgl backends
 * (select.ts loads webgpu on demand). `@tensorflow/tfjs` adds layers, the converter and data,
 * which nothing under src calls; leaving them out makes the training worker's bundle 438 KB
 * smaller minified, about 100 KB gzipped (esbuild, the worker entry with and without them).
 *
 * Typed as the whole namespace (TF) because node kinds are written against it; only its
 * tfjs-core half exists here.
 */
import * as core from '@tensorflow/tfjs-core';
// What @tensorflow/tfjs itself adds to the core: the gradients of the ops (without them training
// stops at its first step: "gradient function not found for AddN") and the chained ops (t.add()).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import type { TF } from '../../nodes/kind';

export const tf = core as unknown as TF;
