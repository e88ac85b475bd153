import { memo, useEffect, useRef } from 'react';
import type { SampleImage } from '../../runtime/worker/protocol';
import { sampleRows } from './samples';
import { useTraining, useTrainingActions } from './trainingContext';
import { shownRun } from './trainingSelectors';

/** An image from the worker (RGBA bytes) drawn at its own resolution, scaled by CSS, sharp. */
export const ImageCanvas = memo(function ImageCanvas({
  image,
  size,
  testId,
}: {
  image: Pick<SampleImage, 'width' | 'height' | 'rgba'>;
  size: number;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current!;
    c.width = image.width;
    c.height = image.height;
    c.getContext('2d')!.putImageData(
      new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height),
      0,
      0,
    );
  }, [image]);
  const scale = size / Math.max(image.width, image.height);
  return (
    <canvas
      ref={canvas}
      className="image-canvas"
      style={{ width: image.width * scale, height: image.height * scale }}
      data-testid={testId}
    />
  );
});

/** The latest samples: real, translated and reconstructed images of each domain, in rows. */
export function SampleGrid() {
  const samples = useTraining((s) => shownRun(s)?.samples ?? null);
  const every = useTraining((s) => s.settings.samplesEvery);
  const actions = useTrainingActions();
  const previews = useTraining((s) => shownRun(s)?.program.previews.length ?? 0);
  if (!samples) {
    return (
      <div className="sample-grid empty">
        <h3>Samples</h3>
        <div className="training-empty">
          {previews > 0
            ? `Samples of the ${previews} Preview nodes appear every ${every} steps.`
            : 'Wire Preview nodes to the images to see; their samples appear here.'}
        </div>
      </div>
    );
  }
  return (
    <div className="sample-grid" data-testid="samples">
      <div className="sample-grid-head">
        <h3>Samples</h3>
        <span className="muted small" data-testid="samples-step">
          step {samples.step}
        </span>
        <button
          type="button"
          className="small-button"
          onClick={() => void actions.saveSamples()}
          title="A PNG of these samples that carries the graph: drop it on the canvas to reopen it"
          data-testid="save-samples"
        >
          Save PNG
        </button>
      </div>
      {sampleRows(samples.images).map((row, r) => (
        <div className="sample-row" key={r}>
          {row.map((image) => (
            <figure key={image.id} className="sample" data-testid={`sample-${image.id}`}>
              <ImageCanvas image={image} size={92} />
              <figcaption title={image.id}>{image.label}</figcaption>
            </figure>
          ))}
        </div>
      ))}
    </div>
  );
}

/** A Preview node's latest sample, on the canvas. */
export function PreviewThumbnail({ nodeId }: { nodeId: string }) {
  const image = useTraining((s) => shownRun(s)?.samples?.images.find((i) => i.id === nodeId));
  if (!image) return null;
  return (
    <div className="gnode-thumbnail" data-testid={`thumbnail-${nodeId}`}>
      <ImageCanvas image={image} size={72} />
    </div>
  );
}
