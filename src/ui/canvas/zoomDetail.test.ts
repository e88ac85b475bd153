import { describe, expect, it } from 'vitest';
import { LEAST_TEXT, zoomDetail } from './zoomDetail';

describe('detail at a zoom', () => {
  it('draws everything at its own size when zoomed in', () => {
    expect(zoomDetail(1)).toEqual({ labelScale: 1.125, titleScale: 1, handleScale: 1, far: false });
    expect(zoomDetail(2)).toEqual({ labelScale: 1, titleScale: 1, handleScale: 1, far: false });
  });

  it('keeps labels and titles at least 11.5 px on screen when zoomed out', () => {
    for (const zoom of [0.3, 0.47, 0.6, 0.9]) {
      const detail = zoomDetail(zoom);
      expect(10 * detail.labelScale * zoom).toBeGreaterThanOrEqual(LEAST_TEXT);
      expect(12 * detail.titleScale * zoom).toBeGreaterThanOrEqual(LEAST_TEXT);
    }
  });

  it('draws only titles, shapes and handles once titles must grow', () => {
    expect(zoomDetail(1).far).toBe(false);
    expect(zoomDetail(0.6).far).toBe(true);
  });

  it('stops growing labels, and handles at twice their size, far out', () => {
    const detail = zoomDetail(0.05);
    expect(detail.labelScale).toBe(4);
    expect(detail.titleScale).toBe(4);
    expect(detail.handleScale).toBe(2);
  });
});
