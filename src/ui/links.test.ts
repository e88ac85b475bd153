import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, type GraphDocument } from '../graph/document';
import { applyLinkVariables, findTemplateFile, linkTrainingSettings, readLink } from './links';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

describe('links that set up the editor', () => {
  test('a link names a template, graph variables and training settings', () => {
    expect(readLink('?template=cyclegan&size=32&ngf=8&seed=3&backend=cpu&steps=100')).toEqual({
      template: 'cyclegan',
      variables: { size: '32', ngf: '8' },
      training: { seed: '3', backend: 'cpu', steps: '100' },
    });
    expect(findTemplateFile('cyclegan', ['dcgan.json', 'cyclegan.json'])).toBe('cyclegan.json');
    expect(findTemplateFile('cyclegan.json', ['cyclegan.json'])).toBe('cyclegan.json');
    expect(findTemplateFile('nope', ['cyclegan.json'])).toBeUndefined();
  });

  test('variables that fit are set; the others are reported, not applied', () => {
    const doc = template();
    const { document, problems } = applyLinkVariables(doc, {
      size: '32',
      gan_mode: 'vanilla',
      ngf: 'wide',
      norm: 'group',
      bogus: '1',
    });
    expect(document.variables.size!.value).toBe(32);
    expect(document.variables.gan_mode!.value).toBe('vanilla');
    expect(document.variables.ngf!.value).toBe(64);
    expect(document.variables.norm!.value).toBe('instance');
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      '?ngf: expected a number, received "wide"',
      '?norm: expected one of instance, batch, none, received "group"',
      expect.stringMatching(/^\?bogus: "CycleGAN" has no variable "bogus" \(its variables: size, /),
    ]);
  });

  test('training settings are checked as well', () => {
    expect(linkTrainingSettings({ seed: '7', steps: '20', backend: 'webgl' })).toEqual({
      settings: { seed: 7, target: 20, backend: 'webgl' },
      problems: [],
    });
    const bad = linkTrainingSettings({ seed: '-1', steps: '2.5', backend: 'tpu' });
    expect(bad.settings).toEqual({});
    expect(bad.problems.map((p) => p.path)).toEqual(['?seed', '?steps', '?backend']);
  });
});
