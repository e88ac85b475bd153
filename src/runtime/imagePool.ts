/**
 * The reference's ImagePool: a history of generated images shown to the discriminator, so that
 * it does not forget earlier generator modes. Stored images are tensors owned by the pool.
 */
import type { TF, Tensor } from '../nodes/kind';
import type { Random } from './data/random';

export class ImagePool {
  readonly images: Tensor[] = [];

  constructor(
    private readonly tf: TF,
    readonly size: number,
  ) {}

  /**
   * Per image of the batch: while not full, store it and return it; when full, with probability
   * 0.5 return a stored image and store the new one in its place, else return the new image.
   */
  query(batch: Tensor, random: Random): Tensor {
    const tf = this.tf;
    if (this.size === 0) return tf.clone(batch);
    const out: Tensor[] = [];
    const n = batch.shape[0]!;
    for (let i = 0; i < n; i++) {
      const image = tf.keep(tf.slice(batch, i, 1));
      if (this.images.length < this.size) {
        this.images.push(image);
        out.push(image);
      } else if (random.next() > 0.5) {
        const slot = random.int(this.size);
        out.push(this.images[slot]!);
        this.images[slot] = image;
      } else {
        out.push(image);
      }
    }
    const result = tf.concat(out, 0);
    // Images neither stored nor kept belong to no one now.
    for (const t of out) if (!this.images.includes(t)) t.dispose();
    return result;
  }

  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images.length = 0;
  }
}
