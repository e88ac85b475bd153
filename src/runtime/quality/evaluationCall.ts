import type { NetworkCall } from '../networks';

/**
 * How quality measurements apply a network: in training mode, so batch norm normalizes with the
 * statistics of the batch measured, as the references sample (PyTorch's DCGAN example; the
 * CycleGAN and pix2pix test.py without --eval, dropout on), but updating no running statistics
 * and drawing nothing from the trainer's random stream: measuring leaves the run as it was.
 * Running statistics gathered at batch size 1 can translate far worse than the batch's own.
 */
export const EVALUATION_CALL: NetworkCall = { seed: () => 0, updatesState: false };
