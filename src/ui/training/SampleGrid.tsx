import { memo, useEffect, useRef, useState } from 'react';
import type { SampleImage } from '../../runtime/worker/protocol';
import { Dialog } from '../Dialog';
import { batchOf, gridColumns, sampleRows, type SampleSet } from './samples';
import './SampleGrid.css';
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

/** A sample's batch as a grid; a click on an image enlarges it. */
function BatchGrid({ image, onEnlarge }: { image: SampleImage; onEnlarge(index: number): void }) {
  const batch = batchOf(image);
  const columns = gridColumns(batch.length);
  const cell = batch.length === 1 ? 92 : Math.max(28, Math.floor(120 / columns));
  return (
    <div
      className="sample-batch"
      style={{ gridTemplateColumns: `repeat(${columns}, ${cell}px)` }}
      data-testid={`sample-batch-${image.id}`}
    >
      {batch.map((b, i) => (
        <button
          key={i}
          type="button"
          className="sample-cell"
          onClick={() => onEnlarge(i)}
          title={`${image.label}, image ${i + 1} of ${batch.length}: click to enlarge`}
          data-testid={`sample-image-${image.id}-${i}`}
        >
          <ImageCanvas image={b} size={cell} />
        </button>
      ))}
    </div>
  );
}

/** One image of a batch, large, with the others of its batch a key or a click away. */
function Lightbox({
  image,
  index,
  step,
  onIndex,
  onClose,
}: {
  image: SampleImage;
  index: number;
  step: number;
  onIndex(index: number): void;
  onClose(): void;
}) {
  const batch = batchOf(image);
  const at = Math.min(index, batch.length - 1);
  return (
    <Dialog title={`${image.label} · step ${step}`} onClose={onClose} testId="sample-lightbox">
      <div className="sample-lightbox">
        <ImageCanvas image={batch[at]!} size={384} testId="sample-lightbox-image" />
        {batch.length > 1 && (
          <div className="sample-lightbox-nav">
            <button type="button" disabled={at === 0} onClick={() => onIndex(at - 1)}>
              ‹ previous
            </button>
            <span className="muted small">
              image {at + 1} of {batch.length}
            </span>
            <button
              type="button"
              disabled={at === batch.length - 1}
              onClick={() => onIndex(at + 1)}
            >
              next ›
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}

/**
 * The samples: real, translated and reconstructed images of each domain in rows, each Preview's
 * batch as a grid; a slider goes back to the samples of earlier steps of the run.
 */
export function SampleGrid() {
  const latest = useTraining((s) => shownRun(s)?.samples ?? null);
  const earlier = useTraining((s) => shownRun(s)?.earlierSamples ?? NONE);
  const every = useTraining((s) => s.settings.samplesEvery);
  const actions = useTrainingActions();
  const previews = useTraining((s) => shownRun(s)?.program.previews.length ?? 0);
  // The step looked at; null follows the latest.
  const [picked, setPicked] = useState<number | null>(null);
  const [enlarged, setEnlarged] = useState<{ id: string; index: number } | null>(null);
  if (!latest) {
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
  const sets = [...earlier, latest];
  const shown = sets.find((set) => set.step === picked) ?? latest;
  const position = sets.indexOf(shown);
  const big = enlarged && shown.images.find((i) => i.id === enlarged.id);
  return (
    <div className="sample-grid" data-testid="samples">
      <div className="sample-grid-head">
        <h3>Samples</h3>
        <span className="muted small" data-testid="samples-step">
          step {shown.step}
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
      {sets.length > 1 && (
        <label className="sample-history">
          <span className="muted small">earlier steps</span>
          <input
            type="range"
            min={0}
            max={sets.length - 1}
            value={position}
            onChange={(e) => {
              const set = sets[Number(e.target.value)]!;
              setPicked(set === latest ? null : set.step);
            }}
            aria-label="Samples of step"
            data-testid="samples-history"
          />
          {shown !== latest && (
            <button type="button" className="link" onClick={() => setPicked(null)}>
              latest
            </button>
          )}
        </label>
      )}
      {sampleRows(shown.images).map((row, r) => (
        <div className="sample-row" key={r}>
          {row.map((image) => (
            <figure key={image.id} className="sample" data-testid={`sample-${image.id}`}>
              <BatchGrid
                image={image}
                onEnlarge={(index) => setEnlarged({ id: image.id, index })}
              />
              <figcaption title={image.id}>{image.label}</figcaption>
            </figure>
          ))}
        </div>
      ))}
      {big && (
        <Lightbox
          image={big}
          index={enlarged.index}
          step={shown.step}
          onIndex={(index) => setEnlarged({ id: big.id, index })}
          onClose={() => setEnlarged(null)}
        />
      )}
    </div>
  );
}

const NONE: readonly SampleSet[] = [];

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
