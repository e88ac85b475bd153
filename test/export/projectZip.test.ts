/**
 * The editor's download: the project and its built-in data in one zip, in a folder named as
 * asked, the same files `ganvas export pytorch` writes.
 */
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/graph/document';
import { exportPyTorchProject } from '../../src/runtime/export/pytorch/project';
import { pytorchProjectZip, ZIP_BUILTIN_IMAGES } from '../../src/runtime/export/pytorch/projectZip';
import { readTemplate } from './exportedRun';

const SETS = { size: 16, n_layers_D: 2, ngf: 4, ndf: 4 };

describe('the PyTorch project zip', () => {
  it('holds the exported files and the built-in images under one folder', () => {
    const parsed = parseDocument(JSON.stringify(readTemplate('cyclegan')));
    if (!parsed.ok) throw new Error('cyclegan does not parse');
    const progress: [number, number][] = [];
    const entries = unzipSync(
      pytorchProjectZip(parsed.document, SETS, 'cyclegan-pytorch', undefined, (written, total) =>
        progress.push([written, total]),
      ),
    );
    const project = exportPyTorchProject(parsed.document, SETS);
    for (const [path, contents] of project.files) {
      expect(new TextDecoder().decode(entries[`cyclegan-pytorch/${path}`]), path).toBe(contents);
    }
    const images = Object.keys(entries).filter((p) => p.endsWith('.png'));
    expect(images).toHaveLength(2 * ZIP_BUILTIN_IMAGES);
    expect(images[0]).toMatch(/^cyclegan-pytorch\/data\/daynight\/train[AB]\/\d+\.png$/);
    // One report per image written, counting up to all of them.
    expect(progress.map(([written]) => written)).toEqual(images.map((_, i) => i + 1));
    expect(new Set(progress.map(([, total]) => total))).toEqual(new Set([images.length]));
  });
});
