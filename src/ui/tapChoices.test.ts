import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkDocument } from '../graph/check';
import { parseDocument, type GraphDocument } from '../graph/document';
import { setParam } from '../graph/edits';
import { tapChoices } from './tapChoices';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`the ${name} template does not parse`);
  return parsed.document;
}

const choicesOf = (doc: GraphDocument, nodeId: string) =>
  tapChoices(
    doc,
    checkDocument(doc),
    doc.nodes.find((n) => n.id === nodeId)!,
  );

describe("the inspector's taps: the layers of the applied network", () => {
  test("EBGAN's D(G(z)): every autoencoder layer but the boundaries, with its shape there", () => {
    const choices = choicesOf(template('ebgan'), 'energy_fake');
    expect(choices.map((c) => c.layer)).toEqual([
      'down.0',
      'down.1',
      'flatten',
      'fc.0',
      'fc.1',
      'fc.2',
      'fc.3',
      'fc.4',
      'fc.5',
      'view',
      'up.0',
      'up.1',
      'energy',
    ]);
    expect(choices.filter((c) => c.chosen).map((c) => c.layer)).toEqual(['fc.0']);
    expect(choices.find((c) => c.layer === 'fc.0')).toEqual({
      layer: 'fc.0',
      kind: 'Dense',
      shape: '64×32',
      chosen: true,
    });
    expect(choices.find((c) => c.layer === 'down.1')!.shape).toBe('64×16×16×64');
  });

  test('follow the network the node applies, and keep a tap of no layer there to untick', () => {
    const doc = template('cyclegan');
    const tapping = setParam(doc, 'pred_fake_B', 'taps', ['model.4', 'fc.0']);
    const choices = choicesOf(tapping, 'pred_fake_B');
    expect(choices.slice(0, 3).map((c) => `${c.layer} ${c.kind} ${c.shape}`)).toEqual([
      'model.0 Conv 1×128×128×64',
      'model.1 Activation 1×128×128×64',
      'model.2 Conv 1×64×64×128',
    ]);
    expect(choices.filter((c) => c.chosen)).toEqual([
      { layer: 'model.4', kind: 'Activation', shape: '1×64×64×128', chosen: true },
      { layer: 'fc.0', chosen: true },
    ]);
  });

  test('a node applying no network offers only the taps it has, to untick', () => {
    const doc = setParam(template('ebgan'), 'energy_fake', 'network', 'nowhere');
    expect(choicesOf(doc, 'energy_fake')).toEqual([{ layer: 'fc.0', chosen: true }]);
  });
});
