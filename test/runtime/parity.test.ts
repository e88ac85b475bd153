/**
 * Parity with the PyTorch reference: test/fixtures/parity/cyclegan-tiny (copied from the shared
 * fixtures), written by ../shared/reference/cyclegan_ref.py (size 32, ngf 8, ndf 8, 2 blocks,
 * 3 PatchGAN layers, seed 1). Tolerances are the issue's: loss terms within 1e-4 relative;
 * step-1 outputs and gradients max|ours - ref| / max|ref| <= 1e-4; final weights within 1e-5
 * absolute, except conv biases feeding an instance norm (their true gradient is zero; Adam turns
 * float noise into steps of about lr, without changing any output).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/runtime/backends/select';
import { runParity, type ParityReport } from './parityRun';

let report: ParityReport;

beforeAll(async () => {
  // The cpu backend as Ganvas runs it: with the fast convolution kernels.
  await selectBackend(tf, 'cpu');
  report = await runParity(tf);
}, 600_000);

afterAll(() => report?.dispose());

describe('CycleGAN template matches the PyTorch reference step', () => {
  it('every loss term of every step within 1e-4 relative', () => {
    expect(report.losses.length).toBe(3);
    for (const { step, term, ours, ref } of report.lossComparisons) {
      expect(
        Math.abs(ours - ref) / Math.abs(ref),
        `step ${step} ${term}: ${ours} vs ${ref}`,
      ).toBeLessThan(1e-4);
    }
  });

  it('step-1 outputs within 1e-4 of the reference, relative to its largest value', () => {
    expect(report.outputErrors.size).toBe(4);
    for (const [name, err] of report.outputErrors) expect(err, name).toBeLessThan(1e-4);
  });

  it('step-1 gradients of every weight within 1e-4 relative (zero-gradient biases: to their layer)', () => {
    // 20 weights per generator, 10 per discriminator.
    expect(report.gradientErrors.size).toBe(60);
    for (const [name, err] of report.gradientErrors) {
      if (report.feedsInstanceNorm.has(name)) {
        expect(report.gradientNoiseErrors.get(name), name).toBeLessThan(1e-4);
      } else {
        expect(err, name).toBeLessThan(1e-4);
      }
    }
  });

  it('final weights within 1e-5 absolute, biases before an instance norm apart', () => {
    expect(report.finalErrors.size).toBe(60);
    for (const [name, err] of report.finalErrors) {
      const bound = report.feedsInstanceNorm.has(name) ? 2e-3 : 1e-5;
      expect(err, name).toBeLessThan(bound);
    }
  });
});
