/**
 * Links that set up the editor: `/?template=cyclegan&size=32&ngf=8` opens a template with graph
 * variables set, and `seed`, `backend` and `steps` set up training. Every value is checked: one
 * that does not fit is reported, never applied silently.
 */
import type { GraphDocument } from '../graph/document';
import { setVariable } from '../graph/edits';
import type { Problem } from '../graph/problems';
import { coerceVariable } from '../graph/variables';
import type { TrainingSettings } from './training/settings';

const TRAINING_PARAMS = ['seed', 'backend', 'steps'] as const;
const BACKENDS = ['auto', 'webgpu', 'webgl', 'cpu'] as const;

export interface LinkRequest {
  template?: string;
  /** Graph variables to set, as written in the link. */
  variables: Record<string, string>;
  training: Partial<Record<(typeof TRAINING_PARAMS)[number], string>>;
}

export function readLink(search: string): LinkRequest {
  const request: LinkRequest = { variables: {}, training: {} };
  for (const [name, value] of new URLSearchParams(search)) {
    if (name === 'template') request.template = value;
    else if ((TRAINING_PARAMS as readonly string[]).includes(name))
      request.training[name as (typeof TRAINING_PARAMS)[number]] = value;
    else request.variables[name] = value;
  }
  return request;
}

/** The template file a link's `template` names: `cyclegan` or `cyclegan.json`. */
export function findTemplateFile(name: string, files: readonly string[]): string | undefined {
  return files.find((f) => f === name || f === `${name}.json`);
}

/** The document with the link's variables set, and a problem for each that could not be. */
export function applyLinkVariables(
  doc: GraphDocument,
  variables: Readonly<Record<string, string>>,
): { document: GraphDocument; problems: Problem[] } {
  const problems: Problem[] = [];
  let document = doc;
  for (const [name, text] of Object.entries(variables)) {
    const declared = doc.variables[name];
    const path = `?${name}`;
    if (!declared) {
      const known = Object.keys(doc.variables).join(', ') || 'none';
      problems.push({
        path,
        code: 'variable',
        message: `"${doc.name}" has no variable "${name}" (its variables: ${known}; link settings: template, ${TRAINING_PARAMS.join(', ')})`,
      });
      continue;
    }
    const value = coerceVariable(declared.value, text);
    if (value === undefined) {
      problems.push({
        path,
        code: 'variable',
        message: `expected a ${typeof declared.value}, received "${text}"`,
      });
      continue;
    }
    if (declared.options && !declared.options.includes(String(value))) {
      problems.push({
        path,
        code: 'variable',
        message: `expected one of ${declared.options.join(', ')}, received "${text}"`,
      });
      continue;
    }
    document = setVariable(document, name, value);
  }
  return { document, problems };
}

/** The training settings a link sets, and a problem for each value that does not fit. */
export function linkTrainingSettings(training: LinkRequest['training']): {
  settings: Partial<TrainingSettings>;
  problems: Problem[];
} {
  const settings: Partial<TrainingSettings> = {};
  const problems: Problem[] = [];
  const count = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (text.trim() !== '' && Number.isInteger(n) && n >= min) return n;
    problems.push({
      path: `?${name}`,
      code: 'link',
      message: `expected an integer of at least ${min}, received "${text}"`,
    });
    return undefined;
  };
  if (training.seed !== undefined) {
    const seed = count('seed', training.seed, 0);
    if (seed !== undefined) settings.seed = seed;
  }
  if (training.steps !== undefined) {
    const steps = count('steps', training.steps, 1);
    if (steps !== undefined) settings.target = steps;
  }
  if (training.backend !== undefined) {
    const backend = BACKENDS.find((b) => b === training.backend);
    if (backend) settings.backend = backend;
    else
      problems.push({
        path: '?backend',
        code: 'link',
        message: `expected one of ${BACKENDS.join(', ')}, received "${training.backend}"`,
      });
  }
  return { settings, problems };
}
