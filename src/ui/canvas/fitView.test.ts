import { describe, expect, it } from 'vitest';
import { paddingAround } from './fitView';

const corner = { width: 160, height: 140 };

describe('fitting around the minimap', () => {
  it('leaves the minimap a strip on the right when the graph is taller than the canvas', () => {
    const tall = { x: 0, y: 0, width: 1000, height: 2000 };
    expect(paddingAround(tall, { width: 1000, height: 500 }, corner)).toEqual({
      top: '16px',
      left: '16px',
      bottom: '16px',
      right: '192px',
    });
  });

  it('leaves it a strip along the bottom when the graph is wider than the canvas', () => {
    const wide = { x: 0, y: 0, width: 4000, height: 500 };
    expect(paddingAround(wide, { width: 1000, height: 500 }, corner)).toEqual({
      top: '16px',
      left: '16px',
      right: '16px',
      bottom: '172px',
    });
  });
});
