import { BACKEND_NAMES } from './format';
import { useTraining } from './trainingContext';

const SOFTWARE_RASTERISERS: readonly [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/fallback adapter/i, 'a fallback adapter'],
];

/** The software rasteriser an adapter description names, if it is one. */
export function softwareAdapter(adapter: string | undefined): string | undefined {
  return SOFTWARE_RASTERISERS.find(([pattern]) => adapter && pattern.test(adapter))?.[1];
}

/**
 * The backend training runs on; when that is a GPU drawn in software (SwiftShader), its name and
 * what it means, since it explains why training is slow.
 */
export function BackendBadge() {
  const backend = useTraining((s) => s.backend);
  const choice = useTraining((s) => s.settings.backend);
  if (!backend) {
    return (
      <span
        className="backend-badge pending"
        title="The backend is chosen when training starts: WebGPU, then WebGL, then CPU"
        data-testid="backend-badge"
      >
        {choice === 'auto' ? 'Backend: automatic' : BACKEND_NAMES[choice]}
      </span>
    );
  }
  const software = softwareAdapter(backend.adapter);
  const title = [
    backend.adapter && `Adapter: ${backend.adapter}`,
    backend.reason && `Why not faster: ${backend.reason}`,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className={`backend backend-${backend.backend}`} title={title || undefined}>
      <span className="backend-badge" data-testid="backend-badge">
        {BACKEND_NAMES[backend.backend] ?? backend.backend}
      </span>
      {software && (
        <span className="backend-software" data-testid="backend-software">
          on {software}, a GPU drawn in software: slow, fit for trying a graph out, not for training
          it
        </span>
      )}
    </span>
  );
}
