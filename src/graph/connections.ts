/**
 * Which ports may be joined. The editor asks this before it adds an edge, and resolveGraph
 * checks every edge of a document with it, so the rule lives once.
 */
import type { PortType } from '../nodes/kind';

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

/** A word with its article: "an image", "a noise", "an Activation". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

function aTensor(type: PortType): string {
  return `${withArticle(type)} tensor`;
}

export function canConnect(source: PortType, target: PortType): ConnectionVerdict {
  if (source === target) return { ok: true };
  if (target === 'feature' && source !== 'loss') return { ok: true };
  if (source === 'loss') {
    return { ok: false, reason: `a loss can only go into an optimizer's "loss" input` };
  }
  if (target === 'loss') {
    return {
      ok: false,
      reason: `an optimizer's "loss" input takes a loss term, not ${aTensor(source)}`,
    };
  }
  return { ok: false, reason: `an input of type ${target} does not take ${aTensor(source)}` };
}
