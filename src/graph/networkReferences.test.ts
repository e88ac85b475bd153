import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { findNodeKind, NODE_KINDS } from '../nodes';
import { checkDocument } from './check';
import { parseDocument, type GraphDocument, type NodeDocument } from './document';
import {
  appliedNetwork,
  applicationsOf,
  networkReferences,
  networksNamedBy,
  renameNetworksNamedBy,
} from './networkReferences';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`the ${name} template does not parse`);
  return structuredClone(parsed.document);
}

const node = (doc: GraphDocument, id: string): NodeDocument => doc.nodes.find((n) => n.id === id)!;

describe('the params that name networks', () => {
  test('every kind declares only params it has', () => {
    for (const kind of NODE_KINDS) {
      const params = kind.params instanceof z.ZodObject ? Object.keys(kind.params.shape) : [];
      for (const name of kind.networkParams ?? []) expect(params, kind.kind).toContain(name);
    }
  });

  test('the applications, the gradient penalty and the optimizer declare theirs', () => {
    const declared = NODE_KINDS.filter((k) => k.networkParams).map(
      (k) => `${k.kind}: ${k.networkParams!.join(', ')}`,
    );
    expect(declared).toEqual([
      'Generator: network',
      'Discriminator: network',
      'GradientPenalty: network',
      'Optimizer: networks',
    ]);
  });

  test('a param holding one network or a list is read with the place of each', () => {
    const optimizer = findNodeKind('Optimizer');
    expect(networkReferences(optimizer, { networks: ['G_A', 'G_B'], lr: 1 })).toEqual([
      { param: 'networks', index: 0, network: 'G_A' },
      { param: 'networks', index: 1, network: 'G_B' },
    ]);
    expect(networkReferences(findNodeKind('GradientPenalty'), { network: 'D' })).toEqual([
      { param: 'network', network: 'D' },
    ]);
  });

  test('values as written that are not ids, and kinds that name none, name no network', () => {
    expect(networkReferences(findNodeKind('Optimizer'), { networks: ['G', 3, null] })).toEqual([
      { param: 'networks', index: 0, network: 'G' },
    ]);
    expect(networkReferences(findNodeKind('Generator'), { network: 7 })).toEqual([]);
    expect(networkReferences(findNodeKind('Loss'), { network: 'G' })).toEqual([]);
    expect(networkReferences(undefined, { network: 'G' })).toEqual([]);
  });

  test('renaming follows every param that names a network, and only those', () => {
    const doc = template('wgan-gp');
    const rename = (id: string) => (id === 'D' ? 'critic' : id);
    const renamed = doc.nodes.map((n) => renameNetworksNamedBy(n, rename));
    expect(renamed.flatMap(networksNamedBy)).toEqual([
      'G',
      'critic',
      'critic',
      'critic',
      'G',
      'critic',
    ]);
    const lossBefore = node(doc, 'D_loss');
    expect(renamed.find((n) => n.id === 'D_loss')).toBe(lossBefore);
    expect(renamed.find((n) => n.id === 'GP')!.params).toEqual({
      network: 'critic',
      weight: '=lambda_gp',
    });
  });
});

describe('the applications of a network', () => {
  test('are its Generator or Discriminator nodes, not the other nodes that name it', () => {
    const doc = template('wgan-gp');
    expect(applicationsOf(doc, 'D').map((n) => n.id)).toEqual(['pred_fake', 'pred_real']);
    expect(applicationsOf(doc, 'G').map((n) => n.id)).toEqual(['fake']);
    expect(appliedNetwork(node(doc, 'GP'))).toBeUndefined();
    expect(appliedNetwork(node(doc, 'pred_real'))).toBe('D');
  });
});

describe('a param naming a network the graph lacks', () => {
  test('is reported once, at the param, whatever the kind', () => {
    const doc = template('wgan-gp');
    node(doc, 'GP').params!.network = 'D_X';
    const problems = checkDocument(doc).problems;
    const at = doc.nodes.findIndex((n) => n.id === 'GP');
    expect(problems).toEqual([
      {
        nodeId: 'GP',
        path: `nodes[${at}].params.network`,
        code: 'network',
        message: 'no network "D_X"; networks: G, D',
      },
    ]);
  });
});
