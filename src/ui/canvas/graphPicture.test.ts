import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../graph/document';
import { graphPicture } from './graphPicture';

function template(file: string) {
  const parsed = parseDocument(JSON.parse(readFileSync(`templates/${file}`, 'utf8')));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.document;
}

describe('a graph drawn small', () => {
  it('draws every node where the document places it and every edge between two boxes', () => {
    const doc = template('cyclegan.json');
    const picture = graphPicture(doc);
    expect(picture.boxes).toHaveLength(doc.nodes.length);
    expect(picture.curves).toHaveLength(doc.edges.length);
    const data = picture.boxes.find((b) => b.id === 'data')!;
    expect({ x: data.x, y: data.y }).toEqual(doc.nodes.find((n) => n.id === 'data')!.position);
    const [left, top, width, height] = picture.viewBox.split(' ').map(Number);
    for (const b of picture.boxes) {
      expect(b.x).toBeGreaterThan(left!);
      expect(b.y).toBeGreaterThan(top!);
      expect(b.x + b.width).toBeLessThan(left! + width!);
      expect(b.y + b.height).toBeLessThan(top! + height!);
    }
  });

  it('colours an application of a network in the network’s colour', () => {
    const doc = template('cyclegan.json');
    const picture = graphPicture(doc);
    const fakeB = picture.boxes.find((b) => b.id === 'fake_B')!;
    const other = picture.boxes.find((b) => b.id === 'fake_A')!;
    expect(fakeB.color).not.toBe(other.color);
  });
});
